"""The real blog in content/ builds without a problem and has what the programme's blog needs."""
from __future__ import annotations

import json
import re

from conftest import ROOT

NOW = "2026-11-23T12:00"


def test_the_real_site_builds(build):
    run, output = build(ROOT / "content", "--now", NOW)
    assert run.code == 0, run.err
    posts = sorted(output.glob("blogg/20*/*/index.html"))
    assert len(posts) >= 6
    for page in ("om", "kontakt", "tillganglighet"):
        assert (output / page / "index.html").is_file(), page
    for post in posts:
        html = post.read_text()
        assert '<html lang="sv">' in html
        assert 'class="h-entry' in html and 'class="p-name"' in html and 'class="dt-published"' in html
        assert 'class="e-content"' in html and 'p-author h-card' in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
        assert data["@type"] == "BlogPosting" and data["datePublished"].startswith("2015-")
        assert '<link rel="canonical"' in html and 'property="og:title"' in html
        assert '<meta name="description" content="' in html


def test_every_relative_link_in_the_real_content_resolves(build):
    run, output = build(ROOT / "content", "--now", NOW)
    for page in output.rglob("*.html"):
        for target in re.findall(r'href="([^"]+)"', page.read_text()):
            assert not target.endswith(".md"), f"{page}: unresolved link {target}"
            if target.startswith("/") and not target.startswith("//"):
                path = target.split("#")[0]
                built = output / path.lstrip("/")
                assert built.is_file() or (built / "index.html").is_file(), f"{page}: {target} leads nowhere"
