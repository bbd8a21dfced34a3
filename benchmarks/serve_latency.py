#!/usr/bin/env python3
"""From saving a post to the reloaded page, with the dev server on a corpus of N posts.

    python benchmarks/serve_latency.py            # 1,000 posts, 10 saves
    python benchmarks/serve_latency.py --posts 10000

It starts the real dev server (watchdog, incremental rebuild, Server-Sent
Events), listens to the event stream as a browser tab does, saves a post, and
measures until the tab has been told to reload *and* has fetched the new page.
The saves begin once the server's background search index is made. It is a
benchmark, not a test.
"""
from __future__ import annotations

import argparse
import http.client
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.content.dates import now_in, zone  # noqa: E402
from generator.build.pipeline import LiveSite, Paths  # noqa: E402
from generator.commands.serve import DevServer  # noqa: E402
from generator.site.model import Options  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(args.posts),
                    str(work)], check=True)
    content = work / "ours" / "content"
    # A file changed less than two seconds before it is hashed is hashed again at the next build
    # (cache.FileStats, git's rule against racy timestamps): an editor's files are older than
    # that, a corpus written a moment ago is not, and its first save would read all 10,000 again.
    time.sleep(2.5)
    stockholm = zone("Europe/Stockholm")
    live = LiveSite(Paths(content, work / "preview"),
                    Options(now=now_in(stockholm), base_url="http://localhost:0/", drafts=True, future=True),
                    clock=lambda: now_in(stockholm))  # as `serve` reads the clock at each rebuild
    started = time.perf_counter()
    rebuilds: list[str] = []
    server = DevServer(live, "127.0.0.1", 0, [content], report=rebuilds.append)
    server.start()
    print(f"{args.posts} posts: first build {time.perf_counter() - started:.2f} s")
    reloads = threading.Semaphore(0)

    def listen() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port)
        connection.request("GET", "/__reload")
        for line in connection.getresponse():
            if line.startswith(b"event: reload"):
                reloads.release()

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(0.5)
    # The server makes the search index once, in the background, after its first build (Pagefind:
    # seconds at 10,000 posts, on both cores). Saves are timed after it, as an editor works.
    waited = time.perf_counter()
    while not any(m.startswith("Sökindex") for m in rebuilds) and time.perf_counter() - waited < 300:
        time.sleep(0.1)
    print(f"search index: {next((m for m in rebuilds if m.startswith('Sökindex')), 'none')}")
    post = sorted(content.glob("posts/*/*.md"))[args.posts // 2]
    url = f"http://127.0.0.1:{server.port}/blogg/{post.parent.name}/{post.stem}/"
    times = []
    for number in range(args.saves):
        saved = time.perf_counter()
        post.write_text(post.read_text(encoding="utf-8") + f"\nÄndring {number}.\n", encoding="utf-8")
        if not reloads.acquire(timeout=10):
            raise SystemExit("no reload event within 10 s")
        with urllib.request.urlopen(url) as response:
            assert f"Ändring {number}." in response.read().decode()
        times.append((time.perf_counter() - saved) * 1000)
        time.sleep(0.3)
    server.stop()
    shutil.rmtree(work)
    print("rebuilds:", "; ".join(m.split(":")[0] for m in rebuilds[-11:]))
    print("each save:", ", ".join(f"{t:.0f}" for t in times), "ms")
    print(f"save -> reload event -> page fetched: median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms over {len(times)} saves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
