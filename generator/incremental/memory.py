"""The build's memory of the builds before it, in the cache folder: what pipeline.build asks.

- `unchanged()`: the last build's report, when every input file, the code, the
  settings and the output folder are as they were, and the clock has not passed
  a moment that changes the site (the build then stops before reading content);
- `parse_cache()` and `content`: the kept parse results, and every content file's
  hash, for load to parse only changed files;
- `reuse()`: which outputs are still right (Dependencies.reusable), and where
  their bytes are: the kept previous site in the staging folder, or the current
  site (hard-linked); the rest is what the build renders;
- `place_assets()`: the assets the same way;
- `remember()`: what this build made and read, for the next one.

Without a cache folder it remembers nothing and everything is made.
"""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from generator.incremental import Dependencies, World
from generator.urls import output_path
from generator.write import Staging


class BuildMemory:
    def __init__(self, paths, options, cache_dir: Path | None):
        from generator import cache as cache_module

        self.paths, self.options, self.folder = paths, options, cache_dir
        self.cache = None
        self.dependencies = Dependencies.empty()
        self.check = None
        self.content: dict[str, str] | None = None
        self.templates: dict[str, str] = {}
        self.assets: dict[str, str] = {}
        self.asset_hashes: dict[str, str] = {}
        self.quick_key = ""
        self.interrupted = Staging(paths.output).interrupted()  # then neither folder is as the cache says
        if cache_dir is None:
            return
        stats = cache_module.FileStats(cache_dir)
        self.content = cache_module.file_digests(paths.content, stats)
        self.templates = cache_module.file_digests(paths.templates, stats)
        self.assets = cache_module.file_digests(paths.assets, stats)
        stats.save()
        self.quick_key = cache_module.inputs_key(self.content, self.templates, self.assets, paths.output,
                                                 options.settings)

    @property
    def records(self) -> bool:
        """Whether outputs are rendered with their reads recorded (only a build with a cache uses them)."""
        return self.folder is not None

    @property
    def compiled_templates(self) -> Path | None:
        return self.folder / "templates" if self.folder else None

    def unchanged(self) -> dict | None:
        """The last build's summary when nothing it was made from changed: then the output is left alone."""
        from generator import cache as cache_module

        if self.folder is None:
            return None
        summary = cache_module.read_unchanged(self.folder, self.quick_key, self.options.now)
        if summary is None or not self.paths.output.is_dir() or self.interrupted:
            return None
        Staging(self.paths.output).remove_leftovers()
        return summary

    def parse_cache(self) -> dict | None:
        """The kept parse results (load.load's cache), reading the cache folder, which unchanged()
        does not need; None without a cache."""
        from generator.cache import BuildCache

        if self.folder is None:
            return None
        if self.cache is None:
            self.cache = BuildCache.open(self.folder, self.paths.output)
            if self.interrupted:
                self.cache.forget_folders()
            self.cache.read_shards()
            self.dependencies = Dependencies.read(self.folder, self.cache.key)
        return self.cache.parsed

    @property
    def keeps_staging(self) -> bool:
        """Whether the site swapped out is kept in the staging folder, to be changed into the next one."""
        return self.folder is not None

    def reuse(self, world: World, outputs: list, staging: Staging) -> list[int]:
        """Put in the staging folder every output that is still right, and return the indexes of
        the others, which the build renders."""
        if self.cache is None:
            return list(range(len(outputs)))
        self.check = self.dependencies.reusable(world)
        right = self.check.reusable
        in_staging = self.cache.staging if staging.kept else {}
        in_output = self.cache.fingerprints
        for path in set(in_staging) - set(world.pages):
            staging.remove(output_path(path))
        kept = os.path.join(staging.folder, "")  # a file gone from the kept site is made again (one stat each)
        todo = []
        for index, output in enumerate(outputs):
            fingerprint, relative = right.get(output.path), output_path(output.path)
            if fingerprint is None:
                todo.append(index)
            elif in_staging.get(output.path) == fingerprint and os.path.isfile(kept + relative):
                continue
            elif in_output.get(output.path) == fingerprint and (self.paths.output / relative).is_file():
                staging.link(self.paths.output / relative, relative)
            else:
                todo.append(index)
        return todo

    def place_assets(self, found_assets: list, staging: Staging) -> None:
        """Copy the assets into the staging folder, or keep or link those whose bytes are unchanged."""
        cache = self.cache
        self.asset_hashes = {a.output_name: self.assets[a.name] for a in found_assets} if cache else {}
        staged = cache.staging_assets if cache and staging.kept else {}
        for name in set(staged) - set(self.asset_hashes):
            staging.remove("assets/" + name)
        for asset in found_assets:
            relative, digest = "assets/" + asset.output_name, self.asset_hashes.get(asset.output_name)
            if digest and staged.get(asset.output_name) == digest and (staging.folder / relative).is_file():
                continue
            if digest and cache.assets.get(asset.output_name) == digest and (self.paths.output / relative).is_file():
                staging.link(self.paths.output / relative, relative)
            else:
                staging.copy(asset.source, relative)

    def remember(self, world: World, made: dict[str, frozenset], summary: dict, valid_until: datetime) -> None:
        """Keep what this build made (it is now the output folder; the site it replaced is in the
        staging folder) and what each output read; and the summary, for a build with the same inputs."""
        from generator import cache as cache_module

        if self.cache is None:
            return
        cache = self.cache
        fingerprints = self.dependencies.record(world, self.check, made)
        cache.staging, cache.staging_assets = cache.fingerprints, cache.assets
        cache.fingerprints, cache.assets = fingerprints, self.asset_hashes
        cache.save()
        self.dependencies.save(self.folder)
        now = world.site.now
        valid_until = min(valid_until, self.dependencies.next_change(now) or valid_until)
        cache_module.write_unchanged(self.folder, self.quick_key, now, valid_until, summary)
