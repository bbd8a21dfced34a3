"""The lock file (uv.lock) is what every install uses: it must say what pyproject.toml asks for,
and the environment the tests run in must hold exactly its versions."""
from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT


def _lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


def _asked(requirement: str, extra: str | None = None) -> tuple:
    parsed = Requirement(requirement)
    return (canonicalize_name(parsed.name), tuple(sorted(parsed.extras)), str(parsed.specifier), extra)


def test_the_lock_agrees_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    asked = {_asked(r) for r in project["dependencies"]}
    for extra, requirements in project.get("optional-dependencies", {}).items():
        asked |= {_asked(r, extra) for r in requirements}
    root = next(p for p in _lock()["package"] if p["name"] == project["name"])
    locked = set()
    for entry in root["metadata"]["requires-dist"]:
        marker = entry.get("marker", "")
        extra = marker.split("'")[1] if marker.startswith("extra ==") else None
        locked.add((canonicalize_name(entry["name"]), tuple(sorted(entry.get("extras", ()))),
                    str(Requirement(f"x{entry.get('specifier', '')}").specifier), extra))
    assert locked == asked, "uv.lock is out of date: run `make lock` (or `uv lock`) and commit uv.lock"


def test_the_test_environment_holds_exactly_the_locked_versions():
    wrong = []
    for package in _lock()["package"]:
        if "editable" in package.get("source", {}):
            continue  # the project itself
        try:
            installed = metadata.version(package["name"])
        except metadata.PackageNotFoundError:
            continue  # locked for another platform or Python (a marker), not installed here
        if installed != package["version"]:
            wrong.append(f"{package['name']} {installed} (uv.lock: {package['version']})")
    assert not wrong, "not the locked versions; run `make test`, which installs uv.lock: " + ", ".join(wrong)


def _uv_version_of_makefile() -> str:
    line = next(l for l in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if l.startswith("UV_VERSION"))
    return line.split(":=")[1].strip()


def test_every_install_the_project_documents_uses_the_lock():
    import yaml

    version = _uv_version_of_makefile()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "sync --quiet --locked" in makefile and "pip install -e" not in makefile
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().endswith("make test")
    example = (ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8")
    steps = [step for job in yaml.safe_load(example)["jobs"].values() for step in job["steps"]]
    installs = [step["run"] for step in steps if "uv sync" in step.get("run", "") or "pip install" in step.get("run", "")]
    assert installs and all(f"pip install uv=={version}\nuv sync --locked" in run for run in installs), installs
    builds = [step["run"] for step in steps if "build.py" in step.get("run", "")]
    assert builds and all(run.startswith(".venv/bin/python build.py") for run in builds)
    upgrade = yaml.safe_load((ROOT / "docs" / "ci-scheduled-upgrade.yml").read_text(encoding="utf-8"))
    assert upgrade["on"]["schedule"] == [{"cron": "17 5 1 * *"}]
    run = "\n".join(step.get("run", "") for step in upgrade["jobs"]["upgrade"]["steps"])
    assert f"pip install uv=={version}" in run and "uv lock --upgrade" in run and "make test" in run
