# Two commands on a fresh clone: `make site` and `make test`.
# Both install exactly the versions in uv.lock into .venv (uv is bootstrapped with pip into .venv/uv when
# it is not given: `make UV=uv` uses one on the PATH). Nothing else is needed but Python 3.11+ and make;
# `make test` also installs the Debian packages its browser and HTML tests need (scripts/test-system-deps).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
UV ?= $(VENV)/uv/bin/uv
# uv's own Python downloads are not used: the environment is made from $(PYTHON).
export UV_PYTHON_DOWNLOADS := never

.PHONY: site test test-fast compiled lock bench clean

$(VENV)/.synced: uv.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	command -v $(UV) >/dev/null || $(PY) -m pip install --quiet --disable-pip-version-check --target $(VENV)/uv uv==$(UV_VERSION)
	$(UV) sync --quiet --locked --all-extras --compile-bytecode --python $(PY)
	touch $@

# Compiled modules are written ahead, for machines where PYTHONDONTWRITEBYTECODE keeps Python from it
# (the tests start the generator in many processes, each of which would compile it again).
compiled: $(VENV)/.synced
	$(PY) -m compileall -q generator

site: compiled
	$(PY) build.py build --content content --output public

# Every test: the browser tests need Debian's Chromium, the HTML tests Java.
test: compiled
	scripts/test-system-deps
	$(PY) -m pytest -n auto

# Everyday tests: all but those that need a browser or Java and the slow whole-build ones (process,
# concurrency and every-edit tests), in about a minute and a half on two cores; `make test` runs them all.
test-fast: compiled
	$(PY) -m pytest -n auto -m "not browser and not java and not slow"

# Re-resolve every dependency to its newest allowed version, then run every test against the new lock.
lock: $(VENV)/.synced
	$(UV) lock --upgrade
	$(MAKE) test

bench: $(VENV)/.synced
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) public .cache
