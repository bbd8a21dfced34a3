"""The benchmarks' corpus is a site this generator builds without a problem: a benchmark of a
build that fails, or that spends its time on error messages, measures nothing."""
from __future__ import annotations

import importlib.util

from conftest import ROOT


def _corpus():
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_corpus_builds_without_errors_or_warnings(build, tmp_path):
    _corpus().make(60, tmp_path / "corpus")
    run, output = build(tmp_path / "corpus" / "ours" / "content", "--no-search", "--no-cache",
                        "--now", "2030-01-01T00:00")
    assert run.code == 0, run.err
    assert "varning" not in run.err.lower() and "fel" not in run.err.lower(), run.err
    assert (output / "index.html").is_file()
