"""Jinja's compiled templates kept in the build cache (cache_dir/templates).

A file there that cannot be read or written (the cache removed or read-only
during a build, a full disk) only means compiling the template again: the cache
is an optimisation, never a reason for a build to fail.
"""
from __future__ import annotations

import os

import jinja2


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass
