"""The design system (docs/dev/design.md) in the built HTML and the stylesheet, without a browser:
tokens in one place, the home page's events, the event page's registration button, its programme
a table a day, its banners, and a print stylesheet. How it all looks and behaves in Chromium at
360, 768 and 1280 px is tests/test_design_browser.py."""
from __future__ import annotations

import re
import shutil

from conftest import ROOT, TESTS, run_cli, write

PROGRAMME = TESTS / "sites" / "programme"
CSS = (ROOT / "assets" / "css" / "site.css").read_text(encoding="utf-8")


def _build(tmp_path, content, now, assets=PROGRAMME / "assets"):
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                  "--assets", str(assets), "--no-search")
    assert run.code == 0, run.err
    return output


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start:html.index("</section>", start)]


def test_the_tokens_are_custom_properties_in_one_place_at_the_top_of_the_stylesheet():
    first_rule = CSS[CSS.index(":root"):CSS.index("}", CSS.index(":root"))]
    for token in ("--bg", "--fg", "--accent", "--brand", "--alert", "--warn",  # colours
                  "--step-0", "--step-1", "--step-2", "--step-3",  # type scale
                  "--space-1", "--space-4", "--space-7",  # spacing
                  "--radius-s", "--radius-m", "--radius-pill",  # radii
                  "--measure", "--page"):  # layout
        assert re.search(rf"{token}:", first_rule), token
    dark = CSS[CSS.index("@media (prefers-color-scheme: dark)"):]
    for colour in ("--bg", "--fg", "--accent", "--brand", "--alert", "--warn"):
        assert f"{colour}:" in dark[:dark.index("}\n}")], f"{colour} has a dark value"
    # outside :root and the print sheet, colours come from tokens: no literal colour in a rule
    rules = CSS[CSS.index("/* ---- Base"):CSS.index("/* ---- Årshjul")]
    assert not re.findall(r"#[0-9a-fA-F]{3,6}\b", rules)


def test_no_font_is_fetched_and_the_stylesheet_has_a_print_sheet():
    assert "@font-face" not in CSS and "@import" not in CSS and "url(" not in CSS
    printed = CSS[CSS.index("@media print"):]
    for hidden in (".site-menu", ".add-to-calendar", ".skip-link"):
        assert hidden in printed


def test_every_component_of_the_design_doc_has_its_rules():
    doc = (ROOT / "docs" / "dev" / "design.md").read_text(encoding="utf-8")
    for selector in (".site-header", ".site-menu", ".site-nav", ".card", ".card-list", ".card-feature",
                     ".facts", ".registration", ".button", ".badge", ".badge-alert", ".badge-warn",
                     ".banner", ".banner-alert", ".banner-warn", ".timetable"):
        assert f"`{selector}`" in doc, f"{selector} documented"
        assert re.search(re.escape(selector) + r"[\s,{.:\[>]", CSS), f"{selector} styled"


def test_the_header_is_the_same_markup_on_every_page_but_for_the_current_item(tmp_path):
    output = _build(tmp_path, ROOT / "content", "2026-11-23T12:00", ROOT / "assets")
    headers = set()
    for page in ("index.html", "blogg/index.html", "evenemang/index.html", "prenumerera/index.html",
                 "blogg/2015/kalasturne/index.html", "404.html"):
        html = (output / page).read_text(encoding="utf-8")
        header = html[html.index('<header class="site-header">'):html.index("</header>")]
        headers.add(re.sub(r' aria-current="(page|true)"', "", header))
        assert header.count('<details class="site-menu">') == 1 and "<summary>" in header
    assert len(headers) == 1, "only aria-current differs between pages"


def test_a_cancelled_event_is_never_the_headline_and_shows_as_cancelled(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROGRAMME / "content", content)
    write(content / "events" / "2016" / "2016-05-10-planerad.yaml",
          'title: "Planerad idéverkstad"\nkind: "idéverkstad"\nstatus: "planned"\nstart: "2016-05-10"\n'
          'place:\n  municipality: "Berg"\n')
    home = (_build(tmp_path, content, "2016-01-01T12:00") / "index.html").read_text(encoding="utf-8")
    upcoming = _section(home, "kommande")
    articles = re.findall(r'<article class="([^"]*)">\s*<h3 class="p-name"><a class="u-url" href="[^"]*">([^<]*)', upcoming)
    classes = dict((title, cls) for cls, title in articles)
    assert "card-feature" in classes["Planerad idéverkstad"], "the first event that takes place is the headline"
    assert home.index("Planerad idéverkstad") < home.index("Inställd idéverkstad"), "and comes first"
    assert "card-feature" not in classes["Inställd idéverkstad"] and "is-cancelled" in classes["Inställd idéverkstad"]
    assert "card-feature" not in classes["Uppskjuten konferens"] and "is-postponed" in classes["Uppskjuten konferens"]
    assert '<span class="badge badge-alert">Inställt</span>' in upcoming
    assert '<span class="badge badge-warn">Uppskjutet</span>' in upcoming


def test_with_only_cancelled_and_postponed_events_ahead_there_is_no_headline(tmp_path):
    home = (_build(tmp_path, PROGRAMME / "content", "2016-01-01T12:00") / "index.html").read_text(encoding="utf-8")
    upcoming = _section(home, "kommande")
    assert "Inställd idéverkstad" in upcoming and "Uppskjuten konferens" in upcoming
    assert "card-feature" not in upcoming


def test_the_home_page_shows_the_latest_posts_as_cards_with_their_image(tmp_path):
    blog = TESTS / "sites" / "blog"
    output = tmp_path / "public"
    run = run_cli("build", "--content", str(blog / "content"), "--output", str(output), "--now", "2016-03-01T12:00",
                  "--assets", str(blog / "assets"), "--no-search")
    assert run.code == 0, run.err
    latest = _section((output / "index.html").read_text(encoding="utf-8"), "senaste")
    assert latest.count('<article class="card h-entry">') >= 3
    # The image is its 16:9 thumbnail, in every format (tests/test_images.py checks the variants).
    assert re.search(r'<img class="card-image" src="/innovation/assets/bilder/karta\.kort-4\.\w+\.png" '
                     r'srcset="/innovation/assets/bilder/karta\.kort-4\.\w+\.png 4w" sizes="[^"]+" '
                     r'alt="En karta över regionen" width="4" height="2" loading="lazy" decoding="async">', latest)
    assert latest.count("<img") == 1, "only posts with an image get one"


def test_registration_is_a_button_with_its_deadline_while_the_event_is_ahead(tmp_path):
    page = (_build(tmp_path, PROGRAMME / "content", "2015-10-01T12:00")
            / "evenemang/2015/workshop/index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="registration">\s*<a class="button" href="https://example.org/anmalan" '
                     r'rel="noopener">Anmäl dig</a>\s*<p>Sista anmälningsdag: <strong><time datetime="2015-10-07">'
                     r'7 oktober 2015</time></strong></p>', page)
    assert page.index('class="registration"') < page.index('class="facts"'), "before the facts"
    past = (_build(tmp_path / "later", PROGRAMME / "content", "2015-11-01T12:00")
            / "evenemang/2015/workshop/index.html").read_text(encoding="utf-8")
    assert 'class="registration"' not in past, "no button once the event is over"


def test_a_multi_day_programme_is_a_table_a_day_and_times_do_not_break(tmp_path):
    page = (_build(tmp_path, PROGRAMME / "content", "2015-10-01T12:00")
            / "evenemang/2015/larresa/index.html").read_text(encoding="utf-8")
    programme = _section(page, "program")
    assert re.findall(r"<caption>([^<]*)</caption>", programme) == ["24 juni 2015", "25 juni 2015", "26 juni 2015"]
    assert programme.count('<table class="timetable">') == 3
    days = programme.split("<caption>")[1:]
    assert "Avresa från Östersund" in days[0] and "Hallands innovationskontor" in days[1] and "Hemresa" in days[2]
    assert ".timetable td:first-child, .nowrap { white-space: nowrap; }" in CSS
    one_day = _section((tmp_path / "public/evenemang/2015/scouting/index.html").read_text(encoding="utf-8"), "program")
    assert one_day.count("<table") == 1 and "<caption>" not in one_day


def test_cancelled_and_postponed_events_have_a_banner_no_one_can_miss(tmp_path):
    output = _build(tmp_path, PROGRAMME / "content", "2015-10-01T12:00")
    cancelled = (output / "evenemang/2016/installt/index.html").read_text(encoding="utf-8")
    postponed = (output / "evenemang/2016/uppskjuten/index.html").read_text(encoding="utf-8")
    assert '<p class="banner banner-alert"><strong>Inställt: evenemanget blir inte av.</strong></p>' in cancelled
    assert '<p class="banner banner-warn"><strong>Uppskjutet: ett nytt datum meddelas här.</strong></p>' in postponed
    for page in (cancelled, postponed):  # right under the title
        assert page.index("</h1>") < page.index('class="banner') < page.index('class="facts"')
        assert 'class="registration"' not in page
