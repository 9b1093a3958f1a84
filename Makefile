# The two commands a newcomer needs: `make demo` and `make test`.
# Each installs what it needs first: uv (pinned) into .tools/, then the
# locked dependencies into .venv/. Needs only Python >= 3.10, pip, git, make;
# `make test` also fetches and starts a local Neo4j 5.26 (scripts/neo4j),
# installing Java 17 and Maven with apt-get if they are missing, and installs
# Debian's Chromium for the browser tests (scripts/chromium).

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test test-fast lint install neo4j bench bench-quick clean

demo: install
	$(VENV)/bin/actorgraph demo

test: install lint
	scripts/chromium
	scripts/with-neo4j $(VENV)/bin/pytest

# The edit loop: unit tests, the contract suite on the embedded store, doctests; two
# processes (pytest-xdist), one per core: the slowest tests are long single ones.
test-fast: install
	$(VENV)/bin/pytest -q -n 2 -m "not neo4j and not browser and not slow" tests/unit tests/contract actorgraph

# Benchmarks against the local Neo4j (wiped first) and the embedded store: not tests.
bench: install
	scripts/chromium
	scripts/with-neo4j $(VENV)/bin/python -m bench

bench-quick: install
	scripts/chromium
	scripts/with-neo4j $(VENV)/bin/python -m bench --quick

neo4j: install
	$(VENV)/bin/python scripts/neo4j start

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/deptry .

install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON)
	touch $@

clean:
	rm -rf .tools $(VENV) .pytest_cache .mypy_cache .ruff_cache
