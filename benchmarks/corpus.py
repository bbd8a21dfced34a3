#!/usr/bin/env python3
"""The benchmark's synthetic corpus: the same N blog posts for this generator, Hugo and Pelican.

    python benchmarks/corpus.py 10000 /tmp/c10k

writes /tmp/c10k/ours/content/ (this generator's content folder), /tmp/c10k/hugo/ (a Hugo site with
its config and layouts) and /tmp/c10k/pelican/ (content and pelicanconf.py). Each post is about
4 KB of Swedish-looking Markdown (headings, lists, a quote, emphasis, a link) with two tags and a
category (a third tag here, as this generator has no categories), seven hours after the one before,
from 2015. The same N always gives the same bytes, so runs on different days build the same sites.
"""
from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

WORDS = ("innovation samskapande region kommun idéverkstad medborgare kreativitet byråkrat mötesplats "
         "lärresa hållbarhet utveckling dialog nyskapande studenter näringsliv cirkulär ekonomi "
         "landsbygd framtid").split()
TAGS = ("cirkulär ekonomi", "kreativa byråkrater", "mötesplatser", "science park", "studenter",
        "landsbygd", "lärresa", "idéverkstad", "hållbarhet", "nyskapare")
CATEGORIES = ("Nyheter", "Inbjudan", "Dokumentation", "Lärresa")
FIRST = datetime(2015, 1, 1, 9, 0)

# The anchors build what this generator builds for such a corpus: paginated lists (10 a page), a page per
# post, tag (and category) pages, and feeds.
HUGO_CONFIG = """baseURL = "https://example.org/"
languageCode = "sv"
title = "Innovationsbloggen"
timeZone = "Europe/Stockholm"
[pagination]
pagerSize = 10
[taxonomies]
tag = "tags"
category = "categories"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML", "RSS"]
taxonomy = ["HTML", "RSS"]
term = ["HTML", "RSS"]
"""
HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
                   "<title>{{ .Title }} · {{ .Site.Title }}</title></head>\n"
                   '<body><header><a href="/">{{ .Site.Title }}</a></header>'
                   '<main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ $pager := .Paginate .Pages }}'
                 '{{ range $pager.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
                 "{{ .Summary }}</article>{{ end }}\n"
                 '{{ with $pager.Next }}<a href="{{ .URL }}">Äldre</a>{{ end }}{{ end }}\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
                   '<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>\n'
                   '<ul>{{ range .Params.tags }}<li><a href="{{ "/tags/" | relURL }}{{ . | urlize }}/">{{ . }}</a>'
                   "</li>{{ end }}</ul>{{ .Content }}</article>{{ end }}\n",
}
PELICAN_CONFIG = """AUTHOR = "Redaktionen"
SITENAME = "Innovationsbloggen"
SITEURL = "https://example.org"
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
DEFAULT_PAGINATION = 10
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
RELATIVE_URLS = False
"""


def paragraph(pick: random.Random, words: int = 60) -> str:
    chosen = [pick.choice(WORDS) for _ in range(words)]
    for position in range(0, words, 9):  # emphasis every ninth word, strong and plain by turns
        chosen[position] = f"**{chosen[position]}**" if position % 2 else f"*{chosen[position]}*"
    chosen[5] = f"[{chosen[5]}](https://example.com/{chosen[5]})"  # another site: not checked
    return " ".join(chosen).capitalize() + "."


def body(pick: random.Random, number: int) -> str:
    bullets = "\n".join("- " + paragraph(pick, 8) for _ in range(5))
    steps = "\n".join(f"{step}. " + paragraph(pick, 6) for step in (1, 2, 3))
    parts = (paragraph(pick), f"## {pick.choice(WORDS).capitalize()} {number}", paragraph(pick, 80), bullets,
             f"### {pick.choice(WORDS).capitalize()}", paragraph(pick), "> " + paragraph(pick, 30), steps,
             paragraph(pick, 50))
    return "\n\n".join(parts) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make(count: int, folder: Path) -> None:
    pick = random.Random(count)
    write(folder / "ours" / "content" / "site.yaml", "title: Innovationsbloggen\nbase_url: https://example.org/\n")
    write(folder / "hugo" / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(folder / "hugo" / "layouts" / "_default" / name, text)
    write(folder / "pelican" / "pelicanconf.py", PELICAN_CONFIG)
    for number in range(count):
        when = FIRST + timedelta(hours=7 * number)
        title = f"{pick.choice(WORDS).capitalize()} och {pick.choice(WORDS)} nummer {number}"
        tags, category = pick.sample(TAGS, 2), pick.choice(CATEGORIES)
        text = body(pick, number)
        slug, day = f"post-{number:05d}", when.strftime("%Y-%m-%d %H:%M")
        write(folder / "ours" / "content" / "posts" / f"{when:%Y}" / f"{slug}.md",
              f'---\ntitle: "{title}"\ndate: {day}\ntags: [{", ".join([*tags, category])}]\n---\n\n{text}')
        write(folder / "hugo" / "content" / "posts" / f"{slug}.md",
              f'---\ntitle: "{title}"\ndate: {when.isoformat()}\ntags: [{", ".join(tags)}]\n'
              f"categories: [{category}]\n---\n\n{text}")
        write(folder / "pelican" / "content" / f"{slug}.md",
              f"Title: {title}\nDate: {day}\nTags: {', '.join(tags)}\nCategory: {category}\nSlug: {slug}\n\n{text}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        raise SystemExit(__doc__)
    make(int(sys.argv[1]), Path(sys.argv[2]))
