# Every workflow of the course. `make lab` to study, `make test` to check everything.
# The set-up (`make install`) is shared by all targets and is a no-op once done.

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
# resnorm_lab, the server page that opens an edition with JupyterLab's interface in its language
LAB_EXTENSION := $(VENV)/etc/jupyter/jupyter_server_config.d/resnorm_lab.json
# Extra pip arguments, e.g. PIP_ARGS="--extra-index-url https://download.pytorch.org/whl/cpu"
# to get PyTorch's CPU-only wheel on a machine where PyPI would give the CUDA build.
PIP_ARGS ?=
# The English edition in notebooks/, the Chinese edition (same file names) in notebooks/zh/.
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.py)) $(sort $(wildcard notebooks/zh/[0-9][0-9]_*.py))
NB       ?=
# The edition `make lab` opens: en (English) or zh (中文, with JupyterLab's interface in Chinese).
EDITION  ?= en

export PYTHONDONTWRITEBYTECODE = 1
# Matplotlib's font cache lives with the venv: a cache shared between clones points at fonts of
# another venv, and when those are gone matplotlib rebuilds it mid-notebook, printing to stderr
# (which nbval, rightly, reports as an unexpected output).
export MPLCONFIGDIR = $(CURDIR)/$(VENV)/mplconfig

.PHONY: help install lab test unit bench notebooks execute sync lock slides figures site links clean

help:
	@echo "make lab        install (once) and open the course in JupyterLab (EDITION=zh: the Chinese edition, 中文版)"
	@echo "make test       install (once) and run every test: unit, notebooks (nbval), sync, browser"
	@echo "make install    only the set-up: .venv/ with resnorm (editable) and the course's packages"
	@echo "make notebooks  re-execute every notebook of both editions and store its outputs (NB=01_residual_connections"
	@echo "                or NB=zh/01_residual_connections for one;"
	@echo "                a cell stuck for CELL_TIMEOUT=120 s fails the run, which is repeated once)"
	@echo "make sync       bring every .ipynb and its .py twin in line (the newer one wins)"
	@echo "make lock       rewrite constraints.txt from what is installed now"
	@echo "make slides     a reveal.js deck per notebook in build/slides/ (Chinese: build/slides/zh/), works offline"
	@echo "                (NB=... for one)"
	@echo "make figures    every notebook's key figures as PNG and SVG in build/figures/ (Chinese: build/figures/zh/)"
	@echo "make site       the course as a static website in build/site/ (both editions; no kernel, works offline)"
	@echo "make links      write the repository's address (site/settings.py) into the READMEs' links and pyproject.toml"
	@echo "make unit       unit tests only (quick; no notebooks, no browser)"
	@echo "make bench      speed and memory against the budgets; writes bench/results.json and README run times"

install: $(STAMP) $(LAB_SETTINGS) $(LAB_EXTENSION)

# pip shows what it downloads and installs (1.5 GB in .venv/ with PyTorch's CPU wheel; see
# README for the time), then matplotlib's font cache is built once, here, so that no notebook
# prints "Matplotlib is building the font cache".
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing the course's packages into $(VENV)/ (once; pip reports each step)..."
	$(PY) -m pip install --disable-pip-version-check --progress-bar on $(PIP_ARGS) -c constraints.txt -e ".[dev]"
	@$(PY) -c "import matplotlib.font_manager"
	@touch $(STAMP)
	@echo "Done: $(VENV)/ is ready. Commands run as $(VENV)/bin/<command>, or activate it: source $(VENV)/bin/activate"

# The course's JupyterLab settings (no "Jupyter news" pop-up) for this venv's JupyterLab; Binder's
# postBuild copies the same file.
$(LAB_SETTINGS): jupyterlab-settings/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp jupyterlab-settings/overrides.json $@

# (a config file, not `jupyter server extension enable`, whose check refuses an extension that is
# not enabled yet)
$(LAB_EXTENSION): jupyterlab-settings/resnorm_lab.json $(STAMP)
	@mkdir -p $(dir $@)
	cp jupyterlab-settings/resnorm_lab.json $@

# The repository's root in the file browser (README, data/, notebooks/), the edition's start
# notebook open. The first page, /resnorm/edition/$(EDITION) (src/resnorm_lab), sets JupyterLab's
# interface language (Chinese through jupyterlab-language-pack-zh-CN) before opening it.
# --allow-root only where the user is root (containers, CI machines); JupyterLab refuses otherwise.
lab: install
	@case "$(EDITION)" in en|zh) ;; *) echo "EDITION must be en or zh; got '$(EDITION)'" >&2; exit 2;; esac
	$(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/resnorm/edition/$(EDITION)

test: install
	$(PY) -m pytest

# The quick loop while editing resnorm: unit tests only (no notebooks, no browser).
unit: install
	$(PY) -m pytest tests -m "not browser"

# Speed and memory budgets (Binder: 1 CPU, 2 GB): prints a table, writes bench/results.json,
# updates the README's run times, and fails if a budget is exceeded. Run it on an idle machine.
bench: install
	$(PY) bench/bench.py

# Stored outputs are only ever written by execution: the .py twin is the source, the kernel the
# author of the outputs. One thread and fixed seeds come from resnorm.setup() in each notebook.
# The kernel manager of resnorm.execution keeps nbclient from stalling after an explorer cell (a
# lost wake-up on the shell socket; see that module). Each cell gets CELL_TIMEOUT seconds: every
# cell of the course takes seconds, so a cell without a reply by then is stuck, not slow. Such a
# run fails with nbclient's message naming the cell and is repeated once; nbconvert writes the
# notebook only after a complete run.
CELL_TIMEOUT ?= 120
notebooks: install
	@$(PY) -c "import matplotlib.font_manager"  # font cache first, never in a stored cell's stderr
	@for py in $(if $(NB),notebooks/$(NB).py,$(NOTEBOOKS)); do \
		nb=$${py%.py}.ipynb; log=$(VENV)/nbconvert.log; \
		echo "executing $$nb"; \
		$(VENV)/bin/jupytext --quiet --sync $$py || exit 1; \
		for attempt in 1 2; do \
			if RESNORM_PROGRESS=1 $(VENV)/bin/jupyter nbconvert --log-level=WARN --to notebook --execute \
				--inplace --ExecutePreprocessor.timeout=$(CELL_TIMEOUT) --ExecutePreprocessor.record_timing=False \
				--ExecutePreprocessor.kernel_manager_class=resnorm.execution.PromptKernelManager \
				$$nb 2> $$log; then cat $$log >&2; break; fi; \
			cat $$log >&2; \
			if [ $$attempt = 1 ] && grep -q "timed out" $$log; then \
				echo "$$nb: a cell gave no reply within $(CELL_TIMEOUT) s (named above); executing the notebook once more"; \
			else exit 1; fi; \
		done; \
		$(VENV)/bin/jupytext --quiet --sync $$nb || exit 1; \
	done

execute: notebooks

sync: install
	$(VENV)/bin/jupytext --sync $(wildcard notebooks/[0-9][0-9]_*.ipynb notebooks/zh/[0-9][0-9]_*.ipynb)

lock: install
	$(PY) -m pip freeze --exclude-editable --disable-pip-version-check | sed 's/+cpu$$//' > constraints.txt

# Decks for a lecture: nbconvert's slides exporter with the cells' slide tags (CONTRIBUTING.md).
# They work with no network: reveal.js is shipped in src/resnorm/slides/reveal.js (5.2.1, MIT; the
# PyPI package that carries its dist files, sphinx-revealjs, pulls in all of Sphinx) and MathJax
# comes from the jupyter-server-mathjax package; both are copied next to the decks. Open
# build/slides/<notebook>.slides.html in a browser; press s for the speaker notes.
slides: install
ifeq ($(NB),)
	$(VENV)/bin/resnorm slides --out build/slides
	$(VENV)/bin/resnorm slides --out build/slides/zh $(sort $(wildcard notebooks/zh/[0-9][0-9]_*.ipynb))
else
	$(VENV)/bin/resnorm slides --out build/slides$(if $(findstring zh/,$(NB)),/zh) $(NB)
endif

# The key figures of every notebook (resnorm.figures registrations), for slides and handouts:
# build/figures/<notebook>/<name>.png and .svg. `.venv/bin/resnorm figures --help` lists them.
figures: install
	$(VENV)/bin/resnorm figures --out build/figures
	$(VENV)/bin/resnorm figures --out build/figures/zh --lang zh

# The course as a website (README "The website"): both editions from the notebooks' stored outputs
# (nothing is executed), Sphinx with myst-nb and sphinx-book-theme, MathJax copied from its
# installed package; build/site/ asks no other host for anything. See site/build.py.
site: install
	$(PY) site/build.py --out build/site

# A fork sets its address in site/settings.py, then this writes it into the links of README.md,
# README.zh-CN.md and pyproject.toml (site/links.py; the standard library is enough, no install).
links:
	$(PYTHON) site/links.py

clean:
	rm -rf $(VENV) build .pytest_cache
	find . -name __pycache__ -prune -exec rm -rf {} +
