"""Safe output: hostile text is shown as text everywhere, pages satisfy their own
Content-Security-Policy, links out carry rel="noopener", and e-mail addresses are
not in the pages as plain text.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import feedparser
import icalendar
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import ROOT, TESTS, run_cli, write
from generator.outputs import security

EVIL = '<script>alert(1)</script> "citat" & <b>fet</b>'
Y = json.dumps(EVIL, ensure_ascii=False)  # a YAML double-quoted scalar (JSON is YAML)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A site where every field an editor writes holds markup, quotes and an ampersand."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "content"
    write(content / "site.yaml", f'title: {Y}\nbase_url: "https://example.org/"\npublisher: {Y}\n'
                                 f'description: {Y}\nnavigation: [{{title: {Y}, url: "/blogg/"}}]\n')
    write(content / "people.yaml", f"eva:\n  name: {Y}\n  role: {Y}\n  organisation: {Y}\n"
                                   '  email: "eva.ek@regionjh.se"\n  phone: "070-123 45 67"\n')
    write(content / "organisations.yaml",
          f'org:\n  name: {Y}\n  url: "https://example.net/?a=1&b=\\"><script>alert(1)</script>"\n')
    body = ('<script>alert(1)</script>\n\n[länk](javascript:alert(1)) <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="x" onerror="alert(1)">\n\n'
            "Skriv till eva.ek@regionjh.se.\n")
    write(content / "posts/2015-05-01-elak.md",
          f"---\ntitle: {Y}\ndate: 2015-05-01\nsummary: {Y}\ntags: [{Y}]\nauthors: [eva]\n"
          f"events: [elak]\nfocus_areas: [omrade]\n---\n{body}")
    write(content / "pages/om.md", f"---\ntitle: {Y}\nsummary: {Y}\n---\n{body}")
    write(content / "programme/omrade.md",
          f"---\ntitle: {Y}\nsummary: {Y}\ncontact: eva\nactivities:\n"
          f"  - {{title: {Y}, status: pågår, description: {Y}}}\n---\n{body}")
    write(content / "events/2015-05-02-elak.yaml",
          f"title: {Y}\nkind: workshop\nsummary: {Y}\ndescription: {Y}\nstart: 2015-05-02 09:00\n"
          f"end: 2015-05-02 12:00\nplace: {{venue: {Y}, address: {Y}, municipality: Åre}}\n"
          f"programme: [{{time: '09.00', title: {Y}}}]\nregistration: {{url: 'https://example.net/', note: {Y}}}\n"
          f"organisers: [org]\ncontacts: [eva]\nlinks: [{{title: {Y}, url: 'https://example.net/l'}}]\n"
          f"videos: [{{title: {Y}, url: 'https://example.net/v'}}]\nfocus_areas: [omrade]\n"
          f"documentation: {{gjort: {Y}}}\n")
    write(content / "events/2015-05-03-borta.yaml",
          f"title: {Y}\nkind: lärresa\nmonth: 2015-06\nplace: {{locality: {Y}}}\n")
    output = root / "public"
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", "2015-05-01T12:00")
    assert run.code == 0, run.err
    return output


def built(folder: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes)


def test_hostile_text_never_becomes_markup(hostile):
    files = built(hostile, ".html", ".xml")
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text, path
        assert "onerror" not in text and "javascript:" not in text, path
    for page in ("blogg/2015/elak", "om", "program/omrade", "evenemang/2015/elak", "evenemang/2015/borta"):
        tree = lxml_html.fromstring((hostile / page / "index.html").read_bytes())
        assert tree.find(".//h1").text_content() == EVIL, page  # shown as the text it is
        assert tree.find(".//title").text_content() == f"{EVIL} – {EVIL}", page
        assert tree.xpath("//meta[@property='og:title']/@content") == [EVIL], page
    post = (hostile / "blogg/2015/elak/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#34;citat&#34; &amp; &lt;b&gt;fet&lt;/b&gt;" in post


def test_json_ld_cannot_close_its_script_element(hostile):
    for page in ("blogg/2015/elak/index.html", "evenemang/2015/elak/index.html"):
        tree = lxml_html.fromstring((hostile / page).read_text(encoding="utf-8"))
        [script] = tree.findall(".//script[@type='application/ld+json']")
        data = json.loads(script.text)
        assert data.get("headline", data.get("name")) == EVIL
        assert "</script" not in script.text and "<" not in script.text


def test_feeds_parse_with_the_title_as_text(hostile):
    for name in ("blogg/rss.xml", "blogg/atom.xml", "program/omrade/rss.xml", "sitemap.xml"):
        etree.fromstring((hostile / name).read_bytes())  # well-formed XML
    for name in ("blogg/rss.xml", "blogg/atom.xml"):
        feed = feedparser.parse((hostile / name).read_bytes())
        assert not feed.bozo, name
        assert feed.feed.title == f"{EVIL}: alla inlägg" and feed.entries[0].title == EVIL, name
        assert "<script>" not in feed.entries[0].content[0].value, name


def test_calendars_and_open_data_carry_the_literal_text(hostile):
    summaries = []
    for path in built(hostile, ".ics"):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        summaries += [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
        assert {str(e["LOCATION"]).split(",")[0] for e in calendar.walk("VEVENT")} <= {EVIL.split(",")[0]}, path
    assert len(summaries) > 5 and set(summaries) == {EVIL}
    events = json.loads((hostile / "events.json").read_text(encoding="utf-8"))["events"]
    assert {e["title"] for e in events} == {EVIL} and events[0]["venue"] == EVIL
    rows = list(csv.DictReader(io.StringIO((hostile / "events.csv").read_text(encoding="utf-8"), newline="")))
    assert {row["title"] for row in rows} == {EVIL}


@pytest.fixture(scope="module")
def every_site(hostile, tmp_path_factory) -> list[Path]:
    """The hostile site, both fixture sites and the real site, built."""
    root = tmp_path_factory.mktemp("sites")
    folders = [hostile]
    for name, content, extra in (
            ("blog", TESTS / "sites/blog/content",
             ["--now", "2016-03-01T12:00", "--drafts", "--assets", str(TESTS / "sites/blog/assets")]),
            ("programme", TESTS / "sites/programme/content",
             ["--now", "2015-10-01T12:00", "--assets", str(TESTS / "sites/programme/assets")]),
            ("real", ROOT / "content", ["--now", "2026-11-23T12:00"])):
        run = run_cli("build", "--content", str(content), "--output", str(root / name), *extra)
        assert run.code == 0, run.err
        folders.append(root / name)
    return folders


def test_every_page_satisfies_its_content_security_policy(every_site):
    """No inline script, inline style, style attribute, event handler or javascript: URL anywhere."""
    pages = [page for folder in every_site for page in built(folder, ".html")]
    assert len(pages) > 100
    for page in pages:
        tree = lxml_html.fromstring(page.read_bytes())
        [policy] = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert policy == security.POLICY, page
        for script in tree.iter("script"):
            # JSON-LD is data, never run, so script-src does not apply to it.
            assert script.get("src") or script.get("type") == "application/ld+json", page
        assert not list(tree.iter("style")), page
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert name != "style" and not name.startswith("on"), (page, element.tag, name)
                if name in ("href", "src", "action", "formaction"):
                    assert not value.strip().lower().startswith(("javascript:", "data:text")), (page, value)


def test_the_headers_file_carries_the_policy_and_frame_ancestors(every_site):
    text = (every_site[0] / "_headers").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "/*"
    headers = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert headers["Content-Security-Policy"] == security.POLICY + "; frame-ancestors 'none'"
    assert "'wasm-unsafe-eval'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_links_that_leave_the_site_carry_noopener(every_site):
    checked = 0
    for page in (p for folder in every_site for p in built(folder, ".html")):
        for link in lxml_html.fromstring(page.read_bytes()).iter("a"):
            href = link.get("href", "")
            if re.match(r"(https?:)?//", href) and not href.startswith(("https://example.org/",
                                                                        "https://innovation.regionjh.se/")):
                assert "noopener" in link.get("rel", "").split(), (page, href)
                checked += 1
    assert checked > 20


ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def test_no_page_holds_an_e_mail_address_as_plain_text(every_site):
    """Simple harvesters search the bytes: they find no address. A browser shows and follows each one."""
    shown = set()
    for page in (p for folder in every_site for p in built(folder, ".html")):
        raw = page.read_text(encoding="utf-8")
        assert not ADDRESS.search(raw), (page, ADDRESS.search(raw))
        for link in lxml_html.fromstring(raw).iter("a"):  # the parser decodes, as a browser does
            if link.get("href", "").startswith("mailto:"):
                assert link.get("href") == "mailto:" + link.text_content()
                shown.add(link.text_content())
    assert {"eva.ek@regionjh.se", "anna@example.org", "erik.noaksson@regionjh.se"} <= shown


def test_mailto_helper_round_trips():
    link = security.mailto("ö.ek@x.se", "u-email")
    assert "@" not in link and "mailto" not in link
    assert html.unescape(str(link)) == '<a class="u-email" href="mailto:ö.ek@x.se">ö.ek@x.se</a>'
