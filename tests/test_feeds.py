"""RSS and Atom feeds: parseable, valid in form, stable ids, correct offsets, escaped text, absolute links."""
from __future__ import annotations

import re
import shutil
import time
from datetime import datetime, timezone

import feedparser
import pytest
from lxml import etree

from conftest import TESTS, run_cli, write
from generator.outputs import feeds
from generator.content import models
from generator.content.load import load
from generator.site.model import Options, build_site

BLOG = TESTS / "sites" / "blog"
PROGRAMME = TESTS / "sites" / "programme"
ATOM = "{http://www.w3.org/2005/Atom}"


def build(content, output, now="2016-03-01T12:00", assets=BLOG / "assets"):
    run = run_cli("build", "--content", str(content), "--output", str(output), "--now", now,
                  "--assets", str(assets))
    assert run.code == 0, run.err
    return output


@pytest.fixture(scope="module")
def blog(tmp_path_factory):
    return build(BLOG / "content", tmp_path_factory.mktemp("feeds") / "public")


def all_feeds(output):
    return sorted(output.rglob("rss.xml")) + sorted(output.rglob("atom.xml"))


def test_every_feed_parses_without_problems(blog, tmp_path):
    programme = build(PROGRAMME / "content", tmp_path / "programme", "2015-10-01T12:00", PROGRAMME / "assets")
    feeds = all_feeds(blog) + all_feeds(programme)
    assert len(feeds) == 2 * (1 + 3) + 2 * (1 + 2)  # all + 3 tags; all + 2 focus areas
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.title and parsed.feed.link


def test_rss_has_what_the_validator_asks_for(blog):
    channel = etree.fromstring((blog / "blogg/rss.xml").read_bytes()).find("channel")
    for name in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(name), name
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == "https://example.org/innovation/blogg/rss.xml"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [
        "Med BOM och CRLF", "Nyår utan datum i filnamnet", "Sommartid", "Vintertid & <Idéverkstad>"]
    for item in items:
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true" and guid.text == item.findtext("link")
        assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}", item.findtext("pubDate"))


def test_atom_has_what_the_validator_asks_for(blog):
    feed = etree.fromstring((blog / "blogg/atom.xml").read_bytes())
    assert feed.findtext(f"{ATOM}id") == "https://example.org/innovation/blogg/"
    assert feed.findtext(f"{ATOM}updated") == "2016-01-15T00:00:00+01:00"  # the newest entry, not the clock
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Region Testland"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": "https://example.org/innovation/blogg/atom.xml",
                     "alternate": "https://example.org/innovation/blogg/"}
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert entry.find(f"{ATOM}content").get("type") == "html"


def test_summer_and_winter_offsets(blog):
    rss = (blog / "blogg/rss.xml").read_text()
    assert "<pubDate>Thu, 02 Jul 2015 10:00:00 +0200</pubDate>" in rss  # summer time
    assert "<pubDate>Fri, 13 Mar 2015 13:00:00 +0100</pubDate>" in rss  # winter time
    atom = (blog / "blogg/atom.xml").read_text()
    assert "<published>2015-07-02T10:00:00+02:00</published>" in atom
    assert "<updated>2015-07-03T09:30:00+02:00</updated>" in atom  # from the post's updated field


def test_titles_and_content_are_escaped_and_links_absolute(blog):
    parsed = feedparser.parse((blog / "blogg/atom.xml").read_bytes())
    winter = next(e for e in parsed.entries if e.link.endswith("/vinter/"))
    assert winter.title == "Vintertid & <Idéverkstad>"
    content = winter.content[0].value
    assert 'href="https://example.org/innovation/blogg/2015/sommar/#tabell"' in content
    assert 'href="https://example.org/innovation/om/"' in content
    summer = next(e for e in parsed.entries if e.link.endswith("/sommar/"))
    body = summer.content[0].value
    assert 'src="https://example.org/innovation/assets/bilder/diagram.png"' in body
    assert 'href="https://example.org/innovation/blogg/2015/sommar/#fn-1"' in body
    assert not re.search(r'(?:href|src)="/', body)
    assert [t.term for t in summer.tags] == ["Idéverkstad", "Lärresa"]
    assert summer.author == "Anna Östlund"


def test_ids_do_not_change_when_a_post_is_edited_or_the_site_rebuilt(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    first = feedparser.parse((build(content, tmp_path / "a") / "blogg/atom.xml").read_bytes())
    post = content / "posts/2015/2015-07-02-sommar.md"
    text = post.read_text().replace("updated: 2015-07-03T09:30:00+02:00", "updated: 2016-02-01 08:00")
    post.write_text(text + "\nEtt nytt stycke.\n")
    second = feedparser.parse((build(content, tmp_path / "b") / "blogg/atom.xml").read_bytes())
    assert [e.id for e in first.entries] == [e.id for e in second.entries]
    edited = next(e for e in second.entries if e.id.endswith("/sommar/"))
    assert edited.updated == "2016-02-01T08:00:00+01:00"
    assert second.feed.updated == "2016-02-01T08:00:00+01:00"


def test_item_limit_and_summaries_only(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    site = content / "site.yaml"
    write(site, site.read_text() + "feeds:\n  items: 2\n  full_content: false\n")
    output = build(content, tmp_path / "out")
    rss = (output / "blogg/rss.xml").read_text()
    assert rss.count("<item>") == 2
    assert "content:encoded" not in rss
    assert "<description>Ett inlägg i sommartid, med alla GFM-tillägg.</description>" not in rss  # older than 2
    atom = (output / "blogg/atom.xml").read_text()
    assert "<content" not in atom and atom.count("<summary>") == 2


def test_tag_and_focus_area_feeds_hold_their_posts(blog, tmp_path):
    parsed = feedparser.parse((blog / "blogg/taggar/larresa/rss.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["Sommartid"]
    programme = build(PROGRAMME / "content", tmp_path / "p", "2015-10-01T12:00", PROGRAMME / "assets")
    area = feedparser.parse((programme / "program/kreativa-byrakrater/atom.xml").read_bytes())
    assert [e.title for e in area.entries] == ["Efter workshoppen"]
    empty = feedparser.parse((programme / "program/cirkular-ekonomi/atom.xml").read_bytes())
    assert not empty.bozo and empty.entries == []


def test_every_page_links_its_feeds_for_autodiscovery(blog):
    for page in blog.rglob("*.html"):
        html = page.read_text()
        assert '<link rel="alternate" type="application/rss+xml" title="Testbloggen: alla inlägg (RSS)" ' \
               'href="/innovation/blogg/rss.xml">' in html, page
        assert 'type="application/atom+xml"' in html
    tag = (blog / "blogg/taggar/larresa/index.html").read_text()
    assert 'href="/innovation/blogg/taggar/larresa/rss.xml"' in tag


def test_the_subscribe_page_lists_every_feed_and_calendar(tmp_path):
    output = build(PROGRAMME / "content", tmp_path / "p", "2015-10-01T12:00", PROGRAMME / "assets")
    page = (output / "prenumerera/index.html").read_text()
    for path in [*output.rglob("rss.xml"), *output.rglob("atom.xml"), *output.rglob("kalender.ics")]:
        assert 'href="/' + path.relative_to(output).as_posix() + '"' in page, path
    assert 'href="webcal://example.org/kommuner/berg/kalender.ics"' in page
    assert "calendar.google.com/calendar/r?cid=webcal%3A%2F%2Fexample.org%2Fevenemang%2Fkalender.ics" in page
    assert "outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Fevenemang%2Fkalender.ics" in page


def test_a_summary_reaches_rss_readers_as_the_text_written(tmp_path):
    """RSS readers read <description> as HTML: markup in a summary is shown, never run."""
    content = tmp_path / "content"
    shutil.copytree(BLOG / "content", content)
    post = content / "posts/2015/2015-03-13-vinter.md"
    summary = "a <b> c & <img src=x onerror=alert(1)>"
    post.write_text(post.read_text().replace("date: 2015-03-13 13:00\n",
                                             f'date: 2015-03-13 13:00\nsummary: "{summary}"\n'))
    site = content / "site.yaml"
    site.write_text(site.read_text().replace('"En liten blogg för att testa generatorn."', '"Om <b>oss</b> & er"'))
    output = build(content, tmp_path / "out")
    rss = feedparser.parse((output / "blogg/rss.xml").read_bytes())
    entry = next(e for e in rss.entries if e.link.endswith("/vinter/"))
    assert entry.summary_detail.type == "text/html"
    assert entry.summary == "a &lt;b&gt; c &amp; &lt;img src=x onerror=alert(1)&gt;"
    assert rss.feed.subtitle == "Om &lt;b&gt;oss&lt;/b&gt; &amp; er"
    atom = feedparser.parse((output / "blogg/atom.xml").read_bytes())
    entry = next(e for e in atom.entries if e.link.endswith("/vinter/"))
    assert (entry.summary, atom.feed.subtitle) == (summary, "Om <b>oss</b> & er")


def test_a_feed_entry_costs_time_linear_in_its_posts_tags(tmp_path, monkeypatch):
    """feedgen worked out an entry's whole category list again for each tag: 5,000 tags took seconds."""
    monkeypatch.setattr(models, "MAX_TAGS", 10_000)  # the limit is for the site's size, not for this cost
    content = tmp_path / "content"
    write(content / "site.yaml", 'title: "T"\nbase_url: "https://example.org/"\n')
    names = ", ".join(f"tagg{i}" for i in range(5000))
    write(content / "posts/2015-01-01-a.md", f'---\ntitle: "A"\ndate: 2015-01-01\ntags: [{names}]\n---\nText.\n')
    site, errors = build_site(load(content, "content"), Options(now=datetime(2020, 1, 1, tzinfo=timezone.utc)))
    assert not errors
    everything = feeds.post_feeds(site)[0]
    started = time.monotonic()
    rss, atom = feeds.render(site, everything, "rss"), feeds.render(site, everything, "atom")
    assert time.monotonic() - started < 2
    assert rss.count(b"<category") == atom.count(b"<category") == 5000


def test_an_entry_carries_its_posts_image(blog):
    """The summer post has an image (assets/bilder/karta.png): in RSS and Atom as Media RSS media:content;
    posts without one carry none. feedparser reads both without complaint, and the Atom entry keeps
    its one link, the post's page."""
    image = "https://example.org/innovation/assets/bilder/karta.png"
    for kind in ("rss", "atom"):
        parsed = feedparser.parse((blog / f"blogg/{kind}.xml").read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        by_title = {entry.title: entry for entry in parsed.entries}
        summer = by_title["Sommartid"]
        assert summer.media_content == [{"url": image, "medium": "image", "type": "image/png"}], kind
        assert [link.href for link in summer.links] == ["https://example.org/innovation/blogg/2015/sommar/"], kind
        for title, entry in by_title.items():
            if title != "Sommartid":
                assert not entry.get("media_content") and not entry.get("enclosures"), (kind, title)
