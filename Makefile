# Two commands do all set-up on a fresh machine:
#   make run    create .venv, install pinned dependencies, check the knowledge base, show the skills,
#               then serve the dashboard at http://127.0.0.1:8501
#   make test   the same set-up, then the whole test suite (what .ci/run calls)
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed

.PHONY: setup run test lint bench clean

$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/kb check
	$(VENV)/bin/kb skills
	bash scripts/serve

CITEPROC_JS := scripts/citeproc_js/node_modules/.installed

# citeproc-js (the engine behind Zotero) is the reference APA renderer our output is compared with
$(CITEPROC_JS): scripts/citeproc_js/package-lock.json
	npm ci --prefix scripts/citeproc_js --no-audit --no-fund --loglevel=error
	touch $(CITEPROC_JS)

AXE := scripts/axe/node_modules/.installed

# axe-core (Deque's accessibility rules engine) checks every dashboard page in the browser tests
$(AXE): scripts/axe/package-lock.json
	npm ci --prefix scripts/axe --no-audit --no-fund --loglevel=error
	touch $(AXE)

test: setup $(CITEPROC_JS) $(AXE)
	bash scripts/install-browser
	bash scripts/test

lint: setup
	$(VENV)/bin/ruff check kb tests scripts app.py $(wildcard scripts/synth.py scripts/bench scripts/screenshots scripts/bench_dashboard)
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) build
