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

Without a cache folder it remembers nothing and everything is made. A file counts
as there only as its folder's manifest says (outputdir.py): one changed or removed
since is made again, whatever the cache says. A write into the cache that fails
(a full disk, the folder removed) is noted in `problems`, never raised: the cache
only costs speed.
"""
from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from generator.incremental import Dependencies, World, settings_of
from generator.urls import output_path
from generator.build.write import Staging


class BuildMemory:
    def __init__(self, paths, options, cache_dir: Path | None, problems: list[str]):
        from generator.incremental import cache as cache_module

        self.paths, self.options, self.folder, self.problems = paths, options, cache_dir, problems
        self.cache = None
        self.dependencies = Dependencies.empty()
        self.check = None
        self.content: dict[str, str] | None = None
        self.templates: dict[str, str] = {}
        self.assets: dict[str, str] = {}
        self.asset_hashes: dict[str, str] = {}
        self.quick_key = ""
        self.staging = Staging(paths.output)  # the output, the kept previous site, and their manifests
        self.interrupted = self.staging.interrupted()  # then neither folder is as the cache says
        if cache_dir is None:
            return
        stats = cache_module.FileStats(cache_dir)
        self.content = cache_module.file_digests(paths.content, stats)
        self.templates = cache_module.file_digests(paths.templates, stats, follow_links=True)  # as Jinja reads them
        self.assets = cache_module.file_digests(paths.assets, stats)
        self.saved(stats.save)
        self.quick_key = cache_module.inputs_key(self.content, self.templates, self.assets, paths.output,
                                                 settings_of(options, paths.shown_content))

    @property
    def records(self) -> bool:
        """Whether outputs are rendered with their reads recorded (only a build with a cache uses them)."""
        return self.folder is not None

    @property
    def compiled_templates(self) -> Path | None:
        return self.folder / "templates" if self.folder else None

    def unchanged(self) -> dict | None:
        """The last build's summary when nothing it was made from changed: then the output is left alone."""
        from generator.incremental import cache as cache_module

        if self.folder is None:
            return None
        stored = cache_module.read_unchanged(self.folder, self.quick_key, self.options.now)
        if stored is None or self.interrupted or not self.staging.in_output.intact \
                or self.staging.in_output.id != stored[1]:
            return None
        self.staging.remove_leftovers()
        return stored[0]

    def saved(self, save) -> bool:
        """Run one write into the cache; a failure is noted in `problems`, not raised."""
        try:
            save()
            return True
        except OSError as exc:
            self.problems.append(f"cachen kunde inte sparas ({exc.strerror or exc}); bygget blev klart ändå, "
                                 "men nästa bygge får göra mer från början")
            return False

    def parse_cache(self) -> dict | None:
        """The kept parse results (load.load's cache), reading the cache folder, which unchanged()
        does not need; None without a cache."""
        from generator.incremental.cache import BuildCache

        if self.folder is None:
            return None
        if self.cache is None:
            self.cache = BuildCache.open(self.folder, self.paths.output)
            if self.interrupted:
                self.cache.forget_folders()
            # What the cache says of a folder holds only for the very folder it was said of.
            self.cache.match_folders(self.staging.in_output.id, self.staging.in_staging.id)
            self.cache.read_shards()
            self.dependencies = Dependencies.read(self.folder, self.cache.key)
        return self.cache.parsed

    @functools.cached_property
    def page_hashes(self):
        """What the search step read of the pages at the last build, by their stat (search.PageHashes);
        an empty one without a cache."""
        from generator.outputs.search import PageHashes

        return PageHashes.read(self.folder, self.cache.key) if self.cache is not None else PageHashes()

    @property
    def keeps_staging(self) -> bool:
        """Whether the site swapped out is kept in the staging folder, to be changed into the next one."""
        return self.folder is not None

    def reuse(self, world: World, outputs: list) -> list[int]:
        """Put in the staging folder every output that is still right, and return the indexes of
        the others, which the build renders."""
        if self.cache is None:
            return list(range(len(outputs)))
        staging = self.staging
        self.check = self.dependencies.reusable(world)
        right = self.check.reusable
        in_staging = self.cache.staging if staging.kept else {}
        in_output = self.cache.fingerprints
        for path in set(in_staging) - set(world.pages):
            staging.remove(output_path(path))
        todo = []
        for index, output in enumerate(outputs):
            fingerprint, relative = right.get(output.path), output_path(output.path)
            if fingerprint is None:
                todo.append(index)
            elif in_staging.get(output.path) == fingerprint and staging.keep(relative):
                continue
            elif in_output.get(output.path) == fingerprint and staging.output_holds(relative):
                staging.link(self.paths.output / relative, relative)
            else:
                todo.append(index)
        return todo

    def place_assets(self, found_assets: list) -> None:
        """Copy the assets into the staging folder, or keep or link those whose bytes are unchanged."""
        cache, staging = self.cache, self.staging
        # The digests are the files' under their names on disk, which a Mac writes NFD; the site's
        # names are NFC (urls.same_name).
        self.asset_hashes = {a.output_name: self.assets[a.source.relative_to(self.paths.assets).as_posix()]
                             for a in found_assets} if cache else {}
        staged = cache.staging_assets if cache and staging.kept else {}
        for name in set(staged) - set(self.asset_hashes):
            staging.remove("assets/" + name)
        for asset in found_assets:
            relative, digest = "assets/" + asset.output_name, self.asset_hashes.get(asset.output_name)
            if digest and staged.get(asset.output_name) == digest and staging.keep(relative):
                continue
            if digest and cache.assets.get(asset.output_name) == digest and staging.output_holds(relative):
                staging.link(self.paths.output / relative, relative)
            else:
                staging.copy(asset.source, relative)

    def image_jobs(self, jobs: list) -> list:
        """The images whose files the staging folder lacks, each with only those files: a file the
        kept previous site holds stays, one the current site holds is linked (a variant's name
        carries a hash of its image and settings, so the same name is the same bytes)."""
        import dataclasses

        if self.folder is None:  # without the cache everything is made
            return jobs
        staging, todo = self.staging, []
        for job in jobs:
            needed = []
            for relative, *_ in job.files:
                relative_out = "assets/" + relative
                if staging.keep(relative_out):
                    continue
                if staging.output_holds(relative_out):
                    staging.link(self.paths.output / relative_out, relative_out)
                else:
                    needed.append(relative)
            if needed:
                todo.append(dataclasses.replace(job, needed=tuple(needed)))
        return todo

    def remember(self, world: World, made: dict[str, tuple], summary: dict, valid_until: datetime,
                 manifest) -> bool:
        """Keep what this build made (it is now the output folder, described by `manifest`; the site
        it replaced is in the staging folder) and what each output read; and the summary, for a
        build with the same inputs. False when it could not all be saved: then the next build
        trusts nothing the cache says about the two folders."""
        from generator.incremental import cache as cache_module

        if self.cache is None:
            return True
        cache = self.cache
        fingerprints = self.dependencies.record(world, self.check, made)
        cache.staging, cache.staging_assets, cache.staging_id = cache.fingerprints, cache.assets, \
            self.staging.in_output.id
        cache.fingerprints, cache.assets, cache.output_id = fingerprints, self.asset_hashes, manifest.id
        now = world.site.now
        valid_until = min(valid_until, self.dependencies.next_change(now) or valid_until)
        if "page_hashes" in self.__dict__:  # the search step ran: what it read is kept, or lost only
            self.saved(lambda: self.page_hashes.save(self.folder, cache.key))
        return (self.saved(cache.save) and self.saved(lambda: self.dependencies.save(self.folder))
                and self.saved(lambda: cache_module.write_unchanged(self.folder, self.quick_key, now, valid_until,
                                                                    summary, manifest.id)))
