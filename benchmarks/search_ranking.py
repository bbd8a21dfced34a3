#!/usr/bin/env python3
"""Does the search index in bundles rank as one index would? (docs/dev/search.md)

    python benchmarks/search_ranking.py content                        # the real site, its fixed queries
    python benchmarks/search_ranking.py /tmp/c1000/ours/content --synthetic

builds the content without the cache (the index in bundles, generator/outputs/search.py), makes a
second, single Pagefind index of the very same pages beside it, and asks both the same Swedish
queries in Chromium (Debian's, through Playwright, as the browser tests do) through Pagefind's own
JavaScript API: the bundles merged with mergeIndex as the search page does, and the single index
alone. It prints, per query, whether the top ten results are the same pages in the same order, and
where they are not, how they differ (the same pages in another order, or other pages), with each
result's score.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import itertools
import json
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REAL_QUERIES = ["idéverkstad", "innovation", "hållbarhet", "workshop", "samverkan", "digital",
                "kreativa byråkrater", "innovationsprogrammet", "Östersund", "studenter",
                "cirkulär ekonomi", "lärresa"]
SYNTHETIC_QUERIES = ["innovation", "idéverkstad", "hållbarhet", "kreativitet byråkrat", "cirkulär ekonomi",
                     "medborgare dialog", "landsbygd framtid", "näringsliv", "lärresa studenter", "nummer 500",
                     "500", "9876"]  # the last: words in one post only (its number, in its title and a heading)

SCRIPT = """async ([bundles, queries]) => {
  async function open(paths) {
    const pagefind = await import(paths[0] + "pagefind.js");
    await pagefind.options({ baseUrl: "/" });
    for (const path of paths.slice(1)) { await pagefind.mergeIndex(path, { baseUrl: "/" }); }
    return pagefind;
  }
  const merged = await open(bundles);
  const out = {};
  for (const query of queries) {
    const found = await merged.search(query);
    out[query] = { top: await Promise.all(found.results.slice(0, 10).map(async r => [(await r.data()).url, r.score])),
                   total: found.results.length };
  }
  return out;  // a module is imported once per page: each index is asked from a page of its own
}"""


def single_index(site: Path, language: str) -> Path:
    """One Pagefind index of every page the bundles hold, as the build made it before bundles."""
    from generator.outputs import search

    pages = sorted(search.indexed_pages(site))
    target = site / "single-index"
    search._make(site, target, pages, language)
    return target


def ask(page, url: str, paths: list[str], queries: list[str]) -> dict:
    page.goto(url + "/404.html")
    return page.evaluate(SCRIPT, [paths, queries])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content", type=Path)
    parser.add_argument("--synthetic", action="store_true", help="the queries for benchmarks/corpus.py's words")
    parser.add_argument("--now", default="2030-01-01T00:00")
    parser.add_argument("--details", action="store_true", help="each differing top ten with its scores")
    parser.add_argument("--pages-per-bundle", type=int, default=None,
                        help="split into more bundles than the build would (search.PAGES_PER_BUNDLE)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from generator import cli
    from generator.outputs import search

    queries = SYNTHETIC_QUERIES if args.synthetic else REAL_QUERIES
    work = Path(tempfile.mkdtemp(prefix="ranking-"))
    site = work / "public"
    if args.pages_per_bundle:
        search.PAGES_PER_BUNDLE = args.pages_per_bundle
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["build", "--content", str(args.content), "--output", str(site), "--no-cache",
                         "--now", args.now, "--base-url", "http://127.0.0.1/"])
    if code != 0:
        raise SystemExit(f"the build failed ({code})")
    names = json.loads((site / search.FOLDER / search.BUNDLES).read_text(encoding="utf-8"))["bundles"]
    single_index(site, "sv")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        merged = ask(browser.new_page(), url, [f"/{search.FOLDER}/{name}/" for name in names], queries)
        alone = ask(browser.new_page(), url, ["/single-index/"], queries)
        browser.close()
    server.shutdown()
    sizes = [len(list((site / search.FOLDER / name / "fragment").iterdir())) for name in names]
    print(f"{args.content}: {sum(sizes)} pages in {len(names)} bundles of {', '.join(map(str, sizes))} pages\n")
    print("| query | results (bundles / one index) | top ten | first result | one index's top ten: scores |")
    print("| --- | ---: | --- | --- | --- |")
    same = 0
    for query in queries:
        ours, theirs = merged[query]["top"], alone[query]["top"]
        a, b = [u for u, _ in ours], [u for u, _ in theirs]
        if a == b:
            verdict, same = "the same, in the same order", same + 1
        elif sorted(a) == sorted(b):
            moved = sum(x != y for x, y in zip(a, b))
            verdict = f"the same pages, {moved} in another place"
        else:
            verdict = f"{len(set(a) - set(b))} of ten other pages"
        first = "the same" if a[:1] == b[:1] else "another"
        scores = [score for _, score in theirs]
        spread = f"{min(scores):.3f}–{max(scores):.3f}" if scores else "–"
        print(f"| {query} | {merged[query]['total']} / {alone[query]['total']} | {verdict} | {first} | {spread} |")
        if a != b and args.details:
            for mine, single in itertools.zip_longest(ours, theirs, fillvalue=("", 0.0)):
                print(f"|   | {mine[1]:.3f} {mine[0]} | {single[1]:.3f} {single[0]} |")
    print(f"\n{same} of {len(queries)} queries: the same top ten in the same order.")
    return 0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


if __name__ == "__main__":
    sys.exit(main())
