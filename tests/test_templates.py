"""Templates take every site path from urls.py, through `url_for`, and never write one themselves.

A site path written in a template (`href('/blogg/')`) goes stale the day urls.py
changes the scheme, and a page that works out its own address can disagree with
the address it is written to. So templates get addresses by name and read their
own from `page.path`; this file scans every template for literal site paths.
"""
from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import pytest

from conftest import ROOT, TESTS, run_cli
from generator import urls
from generator.content.dates import parse_now, zone
from generator.build.pipeline import Paths, read_and_plan
from generator.site.model import Options

TEMPLATES = ROOT / "templates"

# Attributes whose value is an address; a value starting with one "/" is a site path.
_ADDRESS_ATTRIBUTE = re.compile(
    r"""\b(?:href|src|action|formaction|poster|srcset|data-[\w-]+)\s*=\s*(["'])(/(?!/)[^"'{]*)\1""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?(/(?!/)[^"')]*)""")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_STRING = re.compile(r"""'([^'\\]*)'|"([^"\\]*)\"""")
_USED_AS_ADDRESS_BEFORE = re.compile(r"(?:\b(?:href|absolute)\(|[=!]=|~|\bin|\bset\s+\w+\s*=)\s*$")
_USED_AS_ADDRESS_AFTER = re.compile(r"\s*(?:~|[=!]=)")


def _first_segments() -> set[str]:
    """The first segment of every address urls.py makes (blogg, evenemang, events.json, sok …)."""
    item = SimpleNamespace(year=2015, slug="x", id="x")
    arguments = {"post": (item,), "year": (2015,), "tag": (item,), "person": (item,), "events_year": (2015,),
                 "event": (item,), "event_calendar": (item,), "municipality": (item,), "focus_area": (item,),
                 "feed": ("/blogg/", "rss"), "calendar": ("/evenemang/",), "page": (item,)}
    made = [urls.url_for(name, *arguments.get(name, ())) for name in urls.NAMED]
    made += [urls.asset("css/site.css"), urls.wheel(2015)]
    return {path.split("/")[1] for path in made if path != "/"}


KNOWN = _first_segments()


def literal_site_paths(text: str) -> list[str]:
    """The site paths written literally in a template's text: in an address attribute or a CSS
    url(), or as a string in a Jinja expression or statement that is the home page ("/") or starts
    with a segment of urls.py's scheme ("/blogg/…"). Links elsewhere (https://…, //cdn…, #fragment,
    mailto:) and text outside Jinja (robots.txt's `Allow: /`) are not site paths of this site."""
    text = _JINJA_COMMENT.sub("", text)
    found = [m.group(2) for m in _ADDRESS_ATTRIBUTE.finditer(text)]
    found += [m.group(1) for m in _CSS_URL.finditer(text)]
    for block in _JINJA.finditer(text):
        code = block.group(0)
        for m in _STRING.finditer(code):
            value = m.group(1) if m.group(1) is not None else m.group(2)
            if value.startswith("/") and value[1:].split("/")[0] in KNOWN:
                found.append(value)
            elif value == "/" and (_USED_AS_ADDRESS_BEFORE.search(code[:m.start()])
                                   or _USED_AS_ADDRESS_AFTER.match(code[m.end():])):
                found.append(value)  # the home page; not a "/" given to replace() or join()
    return found


@pytest.mark.parametrize("text, found", [
    ("""<a href="/blogg/">Blogg</a>""", ["/blogg/"]),
    ("""<a href='/om/'>Om</a>""", ["/om/"]),
    ("""<script src="/assets/js/x.js"></script>""", ["/assets/js/x.js"]),
    ("""<form action="/sok/">""", ["/sok/"]),
    ("""<div style="background: url('/assets/bild.png')">""", ["/assets/bild.png"]),
    ("""{{ href('/blogg/arkiv/') }}""", ["/blogg/arkiv/"]),
    ("""{{ href("/evenemang/" ~ year ~ "/") }}""", ["/evenemang/", "/"]),
    ("""{{ href('/') }} {% set home = "/" %} {% if "/" == page.path %}""", ["/", "/", "/"]),
    ("""{{ title|replace("/", " / ") }} {{ parts|join("/") }}""", []),
    ("""{% set page_path = "/prenumerera/" %}""", ["/prenumerera/"]),
    ("""{% if item.url != "/" %}""", ["/"]),
    ("""{{ absolute("/sitemap.xml") }}""", ["/sitemap.xml"]),
    ("""{{ href('/events.json') }}""", ["/events.json"]),
    ("""<a href="https://example.org/blogg/">x</a> <a href="//cdn.example/x.js">y</a>""", []),
    ("""<a href="#innehall">x</a> <a href="mailto:a@example.org">y</a>""", []),
    ("""{{ href(url_for('blog')) }} {{ href(post.url) }} {{ asset('css/site.css') }}""", []),
    ("""{# a comment may say href('/blogg/') #}""", []),
    ("""User-agent: *\nAllow: /\n""", []),
    ("""{{ " och " if last else ", " }}""", []),
])
def test_literal_site_paths_are_found_and_other_links_are_not(text, found):
    assert literal_site_paths(text) == found


def test_no_template_writes_a_site_path():
    files = sorted(p for p in TEMPLATES.rglob("*") if p.is_file())
    assert {p.name for p in files} >= {"base.html", "_macros.html", "robots.txt", "_headers", "sitemap.xml"}
    written = {p.name: literal_site_paths(p.read_text(encoding="utf-8")) for p in files}
    assert {name: paths for name, paths in written.items() if paths} == {}, \
        "write url_for('name', …) (generator/urls.py, urls.NAMED) instead of a site path"


def test_no_template_works_out_its_own_address():
    """A page's own address is page.path, the one it is written to."""
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            assert "page_path" not in path.read_text(encoding="utf-8"), path.name


@pytest.fixture(scope="module")
def real_site():
    paths = Paths(ROOT / "content", ROOT / "unused")
    options = Options(now=parse_now("2015-10-01T12:00", zone("Europe/Stockholm")), drafts=True)
    planned = read_and_plan(paths, options, None)
    assert not planned.errors
    return planned.site


def test_url_for_a_content_object_is_its_url(real_site):
    site = real_site
    pairs = [("post", p) for p in site.posts] + [("tag", t) for t in site.tags] \
        + [("person", p) for p in site.people] + [("event", e) for e in site.events] \
        + [("focus_area", a) for a in site.focus_areas] + [("page", p) for p in site.pages] \
        + [("municipality", m) for m in site.municipalities]
    assert {kind for kind, _ in pairs} == {"post", "tag", "person", "event", "focus_area", "page", "municipality"}
    for kind, item in pairs:
        assert urls.url_for(kind, item) == item.url, (kind, item.url)
    for event in site.events:
        assert urls.url_for("event_calendar", event) == event.calendar_url


def test_url_for_takes_an_object_or_what_identifies_it_and_a_page_number(real_site):
    tag = real_site.tags[0]
    assert urls.url_for("tag", tag) == urls.url_for("tag", tag.slug) == urls.tag(tag.slug)
    assert urls.url_for("tag", tag, 2) == urls.tag(tag.slug, 2)
    assert urls.url_for("blog", 3) == "/blogg/sida/3/"
    assert urls.url_for("wheel") == "/arshjul/" and urls.url_for("wheel", 2015) == "/arshjul/2015/"
    assert urls.url_for("feed", urls.url_for("blog"), "atom") == "/blogg/atom.xml"
    assert urls.url_for("search_index") == "/pagefind/bundles.json"


@pytest.mark.parametrize("call, message", [
    (("blogg",), "url_for känner inte till adressen 'blogg'; de som finns: archive, blog, calendar"),
    (("tag",), "url_for('tag', …) tar tag_or_slug, page=1, men fick inga argument"),
    (("year", 2015, 2016), "url_for('year', …) tar number, men fick 2015, 2016"),
    (("post", "kalasturne"), "url_for('post', …) tar a_post, men fick 'kalasturne'"),
    (("feed", "/blogg/", "rdf"), "url_for('feed', …): formatet 'rdf' finns inte; skriv 'rss' eller 'atom'"),
])
def test_url_for_says_what_is_wrong(call, message):
    with pytest.raises(urls.AddressError) as raised:
        urls.url_for(*call)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("template, old, new, message", [
    ("list.html", "url_for('archive')", "url_for('arkiv')",
     "templates/list.html: url_for känner inte till adressen 'arkiv'"),
    ("_macros.html", "url_for('subscribe')", "url_for('subscribe', 2)",
     "templates/_macros.html: url_for('subscribe', …) tar inga argument, men fick 2"),
])
def test_a_wrong_address_in_a_template_stops_the_build_naming_the_template(tmp_path, template, old, new, message):
    run, _ = _build_with_edited_template(tmp_path, template, old, new)
    assert run.code == 1
    assert f"Bygget avbröts: {message}" in run.err
    assert "Traceback" not in run.err


def _build_with_edited_template(tmp_path, template: str, old: str, new: str, *args: str):
    """Build the blog fixture with `old` replaced by `new` (once) in a copy of the templates:
    (the run, the line of the template the new text is on)."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    text = (templates / template).read_text(encoding="utf-8")
    assert old in text
    (templates / template).write_text(text.replace(old, new, 1), encoding="utf-8")
    site = TESTS / "sites" / "blog"
    run = run_cli("build", "--content", str(site / "content"), "--output", str(tmp_path / "public"),
                  "--templates", str(templates), "--assets", str(site / "assets"), "--no-search",
                  "--now", "2016-03-01T12:00", *args)
    return run, text[:text.index(old)].count("\n") + 1


@pytest.mark.parametrize("template, old, new, message", [
    ("_macros.html", '<p class="p-summary">{{ post.description }}</p>', '<p>{{ post.descripton }}</p>',
     "Post har inget fält 'descripton' (menade du 'description'?) (vid /"),
    ("post.html", "{{ post.title }}", "{{ inlagg.title }}",
     "'inlagg' finns inte; en mall får site och page, och hjälpfunktionerna i docs/dev/templates.md (vid /"),
    ("post.html", "{{ post.title }}", "{{ site.posts_by_tag.larsesa }}",
     "nyckeln 'larsesa' finns inte (menade du 'larresa'?) (vid /"),
    ("post.html", "{{ post.title }}", "{{ post.title + 1 }}",
     'uttrycket gick inte att räkna ut: can only concatenate str (not "int") to str (TypeError) (vid /'),
    ("post.html", "{{ post.title }}", "{{ post.date|dat }}", "filtret 'dat' finns inte (menade du 'date'?)"),
    ("post.html", "{{ post.title }}", '{% include "_kort.html" %}', "mallen templates/_kort.html finns inte"),
])
@pytest.mark.parametrize("cached", [False, True], ids=["no-cache", "cache"])
def test_a_mistake_in_a_template_is_told_at_its_line_in_swedish(tmp_path, template, old, new, message, cached):
    """The web team's slips in a template stop the build with the template's file and line and what
    is wrong, also in a template another one imports, and with the reads recorded (the cache): no
    traceback, whatever the error."""
    cache = ("--cache-dir", str(tmp_path / "cache")) if cached else ("--no-cache",)
    run, line = _build_with_edited_template(tmp_path, template, old, new, *cache)
    assert run.code == 1
    assert f"Bygget avbröts: templates/{template}:{line}: {message}" in run.err, run.err
    assert "Traceback" not in run.err + run.out



def test_a_download_links_the_file_the_build_writes(tmp_path):
    """A download is linked through `asset`, so a stylesheet or script offered for download (whose
    built name carries a hash) is linked by the name it is written under."""
    fixture = TESTS / "sites" / "programme"
    content, assets = tmp_path / "content", tmp_path / "assets"
    shutil.copytree(fixture / "content", content)
    shutil.copytree(fixture / "assets", assets)
    (assets / "filer" / "utskrift.css").write_text("body { color: black; }\n", encoding="utf-8")
    event = content / "events" / "2015" / "2015-10-14-workshop.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(text.replace('    file: "filer/rapport.pdf"\n', '    file: "filer/rapport.pdf"\n'
                                  '  - title: "Utskriftsmall"\n    file: "filer/utskrift.css"\n'), encoding="utf-8")
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--assets", str(assets), "--output", str(output),
                  "--now", "2015-10-01T12:00", "--no-search", "--no-cache")
    assert run.code == 0, run.err
    page = (output / "evenemang" / "2015" / "workshop" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="/(assets/filer/[^"]+)" download>', page)
    assert links[0] == "assets/filer/rapport.pdf" and re.fullmatch(r"assets/filer/utskrift\.\w+\.css", links[1])
    assert all((output / link).is_file() for link in links)


def test_templates_use_the_environments_globals_and_globals_given_to_one_stay_its_own(tmp_path):
    """RecordingEnvironment.make_globals hands every template the environment's own globals (no
    ChainMap to copy key by key at each rendering): what bind() sets for a later build is what a
    kept template calls, through extends and include; Jinja's compiled code passes no globals of
    its own; and a template given some keeps them out of the environment's."""
    from generator.outputs.render import templates_environment

    (tmp_path / "base.html").write_text("[{% block main %}{% endblock %}]", encoding="utf-8")
    (tmp_path / "_m.html").write_text("{% macro x() %}m{{ helper() }}{% endmacro %}", encoding="utf-8")
    (tmp_path / "part.html").write_text("p{{ helper() }}", encoding="utf-8")
    (tmp_path / "page.html").write_text('{% extends "base.html" %}{% import "_m.html" as m %}'
                                        '{% block main %}{{ m.x() }}{% include "part.html" %}{{ helper() }}'
                                        '{% endblock %}', encoding="utf-8")
    env = templates_environment(tmp_path)
    env.globals["helper"] = lambda: "1"
    assert env.get_template("page.html").render() == "[m1p11]"
    env.globals["helper"] = lambda: "2"  # the next build's bind(), with the templates kept
    # An imported module is made once and keeps the helpers it was made with (Jinja's own way, as
    # with its ChainMap): which is why bind()'s helpers read the site when called, not when made.
    assert env.get_template("page.html").render() == "[m1p22]"
    assert all(env.get_template(name).globals is env.globals for name in ("page.html", "_m.html", "part.html"))
    own = env.get_template("part.html", globals={"helper": lambda: "own"})
    assert own.render() == "pown" and env.globals["helper"]() == "2"
    assert env.get_template("part.html").render() == "p2"


def test_a_heading_in_a_text_never_takes_an_id_of_the_page_or_of_another_text(tmp_path):
    """An editor's "## Aktiviteter" in a focus area, "## Program" and "## Kontakt" in an event's
    description and "## Program" in its answers after it, two answers with a footnote each: the
    page's own sections keep their ids (their aria-labelledby and links lead to them), each id of a
    text gets one of its own, and the text's own links follow it.
    (A heading keeps å, ä and ö in its id, as on GitHub: "Innehåll" is no main id="innehall".)"""
    fixture = TESTS / "sites" / "programme"
    content = tmp_path / "content"
    shutil.copytree(fixture / "content", content)
    area = content / "programme" / "cirkular-ekonomi.md"
    area.write_text(area.read_text(encoding="utf-8") + "\n## Kontakt\n\nRing oss.\n\n## Aktiviteter\n\nMånga.\n",
                    encoding="utf-8")
    trip = content / "events" / "2015" / "2015-06-24-larresa.yaml"
    trip.write_text(trip.read_text(encoding="utf-8").replace(
        '  gjort: "Vi reste till Halland."', '  gjort: "## Program\\n\\nVi reste[^1] till [Halland](#program).'
                                           '\\n\\n[^1]: Med tåg."').replace(
        '  lärt: "Vi lärde oss **mycket**."', '  lärt: "Vi lärde oss **mycket**[^1].\\n\\n[^1]: Om allt."')
        + 'description: "## Program\\n\\nSe nedan.\\n\\n## Kontakt\\n\\nAnna."\n', encoding="utf-8")
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--assets", str(fixture / "assets"), "--output", str(output),
                  "--now", "2015-10-01T12:00", "--no-search", "--no-cache")
    assert run.code == 0, run.err
    pages = {"programme": output / "program" / "cirkular-ekonomi" / "index.html",
             "event": output / "evenemang" / "2015" / "larresa" / "index.html"}
    for name, page in pages.items():
        html = page.read_text(encoding="utf-8")
        ids = re.findall(r'\sid="([^"]*)"', html)
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))
        assert not re.search("[\x01-\x03\ue000-\ue002]", html)  # no mark of a text is left
        for target in re.findall(r'\shref="#([^"]+)"', html):  # a footnote's links, a text's to its heading
            assert target in ids, (name, target)
        for labelled in re.findall(r'aria-labelledby="([^"]*)"', html):  # the section's own heading
            assert re.search(rf'<section[^>]* aria-labelledby="{labelled}">\s*<h2 id="{labelled}"', html), labelled
    area_html = pages["programme"].read_text(encoding="utf-8")
    # The area has activities, so the page has its section of them; it has no contact, and no section of it.
    assert '<h2 id="aktiviteter-1">Aktiviteter</h2>' in area_html and '<h2 id="kontakt">Kontakt</h2>' in area_html
    event_html = pages["event"].read_text(encoding="utf-8")
    assert '<h2 id="program-1">Program</h2>' in event_html and '<h2 id="program-2">Program</h2>' in event_html
    assert '<h2 id="kontakt-1">Kontakt</h2>' in event_html
    assert 'id="fn-1"' in event_html and 'id="fn-1-1"' in event_html  # two answers, each with its footnote
    assert '<a href="#program-2">Halland</a>' in event_html  # the answer's link to its own heading follows it


def test_a_text_that_a_template_transforms_is_shown_as_the_template_made_it(tmp_path):
    """Making a text's ids unique in its page must not show through what a maintainer's template does
    with the text: its JSON, a link's query, a cut summary in <head> are the text's own characters,
    and the page's own links (the skip link to #innehall) stay where the template wrote them."""
    fixture = TESTS / "sites" / "blog"
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(fixture / "content", content)
    shutil.copytree(ROOT / "templates", templates)
    post_template = templates / "post.html"
    post_template.write_text(post_template.read_text(encoding="utf-8").replace(
        "{% block head %}",
        '{% block head %}<meta name="twitter:description" content="{{ post|body|striptags|truncate(40) }}">'
        '<script type="application/json">{{ {"text": post|body|striptags}|tojson }}</script>', 1).replace(
        "{{ post|body }}",
        '{{ post|body }}<a href="mailto:?body={{ post|body|striptags|urlencode }}">Dela</a>'
        '<span data-id="mer"></span>', 1), encoding="utf-8")
    post = next(content.glob("posts/**/*sommar*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\n## Innehall\n\nSe [rubriken](#innehall).\n\n## Mer\n",
                    encoding="utf-8")
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--assets", str(fixture / "assets"), "--templates",
                  str(templates), "--output", str(output), "--now", "2016-03-01T12:00", "--no-search", "--no-cache")
    assert run.code == 0, run.err
    page = next(output.glob("blogg/**/sommar/index.html")).read_text(encoding="utf-8")
    assert not re.search(r"[\x01-\x03]|\\u000[123]|%0[123]", page)
    assert '<a class="skip-link" href="#innehall">' in page  # the page's own link to <main id="innehall">
    assert '<h2 id="innehall-1">Innehall</h2>' in page and '<a href="#innehall-1">rubriken</a>' in page
    assert '<h2 id="mer">Mer</h2>' in page  # a data-id is no id


def test_html_written_as_code_in_a_text_is_shown_as_written(tmp_path):
    """An example of HTML in a code block or a code span is text: its id="innehall" is no id of the
    page, and is not renumbered against the template's <main id="innehall">."""
    fixture = TESTS / "sites" / "blog"
    content = tmp_path / "content"
    shutil.copytree(fixture / "content", content)
    post = next(content.glob("posts/**/*sommar*.md"))
    post.write_text(post.read_text(encoding="utf-8") + '\n## Innehall\n\n```html\n<a href="#innehall">Till '
                    'innehållet</a>\n<main id="innehall">…</main>\n```\n\nOch i löptext: `<p id="innehall">`.\n',
                    encoding="utf-8")
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--assets", str(fixture / "assets"), "--output", str(output),
                  "--now", "2016-03-01T12:00", "--no-search", "--no-cache")
    assert run.code == 0, run.err
    page = next(output.glob("blogg/**/sommar/index.html")).read_text(encoding="utf-8")
    assert '<h2 id="innehall-1">Innehall</h2>' in page
    assert '&lt;a href="#innehall"&gt;Till innehållet&lt;/a&gt;\n&lt;main id="innehall"&gt;' in page
    assert '<code>&lt;p id="innehall"&gt;</code>' in page
