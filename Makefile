# epianalysis — every target creates .venv and installs what is missing by itself.
# `make help` lists the targets.

PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
SAMPLE   := data/sample
DATE     ?= 2020-03-02
LANG_    ?= both
JOBS     ?= 3
TEST_WORKERS ?= 2
CJK_FONT := /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf

.DEFAULT_GOAL := help
.PHONY: help brief test lint format nbval notebooks lab sample fonts browser bench clean

help: ## list the targets with what they do
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  variables: DATE=$(DATE) (press date for brief), LANG_=$(LANG_) (en, zh or both), JOBS=$(JOBS) (notebooks at once;"
	@echo "             one more than the 2 cores here overlaps kernel start-up and I/O),"
	@echo "             TEST_WORKERS=$(TEST_WORKERS) (processes of make test; 0: one process)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (epianalysis)" >/dev/null
	touch $(STAMP)

fonts: ## install a CJK font (Debian fonts-droid-fallback) where the system allows; lang=en works without it
	@if [ -f $(CJK_FONT) ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing fonts-droid-fallback (Chinese labels)"; \
	  apt-get install -y -qq fonts-droid-fallback >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-droid-fallback >/dev/null 2>&1; } || \
	  echo "warning: could not install fonts-droid-fallback; --lang zh will explain how to add a CJK font"; \
	else echo "note: no CJK font and no root apt-get; --lang zh needs one (see README)"; fi

browser: ## install Debian's chromium for the page tests where the system allows; they skip (saying why) without it
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing chromium (page tests in a real browser)"; \
	  apt-get install -y -qq chromium >/dev/null 2>&1 || \
	  { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1; } || \
	  echo "warning: could not install chromium; the browser tests will be skipped"; \
	else echo "note: no chromium and no root apt-get; the browser tests will be skipped"; fi

# regenerated when the scenario's code or the region table changes, so tests never check a stale sample
$(SAMPLE)/.complete: $(STAMP) $(wildcard epianalysis/scenario/*.py epianalysis/scenario/*.toml) epianalysis/reference/regions.csv
	$(BIN)/epianalysis scenario --out $(SAMPLE)

sample: $(SAMPLE)/.complete ## generate the embedded synthetic scenario into data/sample

brief: $(STAMP) fonts $(SAMPLE)/.complete ## brief DATE (default 2020-03-02) on the embedded scenario into reports/DATE
	$(BIN)/epianalysis brief --date $(DATE) --lang $(LANG_) --jobs $(JOBS) --force
	@echo "report: $(CURDIR)/reports/$(DATE)/index.html"
	@echo "open it: xdg-open reports/$(DATE)/index.html   (or: $(BIN)/python -m http.server -d reports 8000, then http://127.0.0.1:8000/$(DATE)/)"

test: $(STAMP) fonts browser $(SAMPLE)/.complete ## run the unit tests and nbval over every committed notebook
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --nbval --nbval-current-env -p no:cacheprovider \
	  tests notebooks; \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

lint: $(STAMP) ## check style with ruff (lint and format) over the package, tests, scripts and notebooks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## reformat the code with ruff and apply its safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

nbval: $(STAMP) $(SAMPLE)/.complete ## only validate the committed notebooks with nbval
	$(BIN)/python -m pytest --nbval --nbval-current-env -p no:cacheprovider notebooks

notebooks: $(STAMP) fonts $(SAMPLE)/.complete ## re-execute the committed notebooks in place on the embedded scenario
	$(BIN)/python scripts/execute_notebooks.py

LAB_PORT ?= 8888
lab: $(STAMP) fonts $(SAMPLE)/.complete ## start JupyterLab on the briefing notebooks (embedded scenario ready); prints its URL
	@echo "JupyterLab on notebooks/briefings/ (Ctrl-C stops it); open the http://127.0.0.1:$(LAB_PORT)/lab?token=... URL printed below"
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --port=$(LAB_PORT) --ServerApp.root_dir=notebooks \
	  --LabApp.default_url=/lab/tree/briefings $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP) $(SAMPLE)/.complete ## run the benchmarks in benchmarks/ and print their ratios
	$(BIN)/python benchmarks/run.py

clean: ## remove generated data and reports (keeps .venv)
	rm -rf $(SAMPLE) reports/*/ reports/index.html .cache
