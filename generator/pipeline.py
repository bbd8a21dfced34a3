"""The build as a readable list of steps: load, site, plan, render, write.

Each step gathers all of its content errors; the build stops after the step
that found any, before the output folder is touched.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator import assets as assets_module
from generator import plan as plan_module
from generator import render as render_module
from generator.errors import BuildFailed
from generator.load import load
from generator.parallel import map_all
from generator.site import Options, Site, build_site
from generator.urls import output_path
from generator.write import Staging

PROJECT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    content: Path
    output: Path
    templates: Path = PROJECT / "templates"
    assets: Path = PROJECT / "assets"
    shown_content: str = "content"  # how messages name the content folder


@dataclass(frozen=True)
class Report:
    posts: int
    pages: int
    files: int
    drafts: int
    future: int
    seconds: float


# Set before the render workers fork, so they inherit it instead of receiving it.
_job: tuple | None = None


def build(paths: Paths, options: Options) -> Report:
    started = time.perf_counter()
    # Every step runs on what the steps before it could read, so that one run
    # reports every problem: a broken file does not hide an unknown author in another.
    loaded = load(paths.content, paths.shown_content)
    errors = list(loaded.errors)
    found_assets = assets_module.find_assets(paths.assets)
    site, site_errors = build_site(loaded, options, frozenset(a.name for a in found_assets))
    errors += site_errors
    outputs, plan_errors = plan_module.plan(site) if site else ([], [])
    errors += plan_errors
    if errors or site is None:
        raise BuildFailed(errors)

    env = render_module.environment(paths.templates, site, assets_module.site_paths(found_assets))
    staging = Staging(paths.output)
    staging.start(protected=[paths.content, paths.templates, paths.assets, PROJECT])
    global _job
    _job = (env, site, outputs, staging)
    try:
        map_all(_render_one, range(len(outputs)))
        for asset in found_assets:
            staging.copy(asset.source, "assets/" + asset.output_name)
        staging.publish()
    except BaseException:
        staging.abandon()
        raise
    finally:
        _job = None
    return Report(
        posts=len(site.posts), pages=len(site.pages), files=len(outputs) + len(found_assets),
        drafts=sum(h.reason == "utkast" for h in site.held_back),
        future=sum(h.reason == "framtida" for h in site.held_back),
        seconds=time.perf_counter() - started,
    )


def _render_one(index: int) -> None:
    """Render and write one output (in a worker process when the site is large)."""
    env, site, outputs, staging = _job
    output = outputs[index]
    staging.write(output_path(output.path), render_module.render(env, site, output))
