# make demo: set up, then train CE and NCE+RCE side by side on the same noisy
#   digits labels (40 % symmetric) and compare them (about 20 s after setup)
# make test: set up and run the test suite
# make lint: flake8, isort, yapf and codespell, as OpenMMLab projects do,
#   and mypy on the maths layers (models/meta, models/losses)
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.lnl_mm-installed
DEMO_DIR := work_dirs/demo

.PHONY: demo test lint install bench clean
LINT_PATHS := lnl_mm tools tests configs setup.py

install: $(STAMP)

$(STAMP): setup.py requirements/runtime.txt requirements/tests.txt \
		requirements/lint.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements/runtime.txt -r requirements/tests.txt \
		-r requirements/lint.txt
	$(PY) -m pip install --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_DIR)
	$(PY) tools/misc/demo.py --work-dir $(DEMO_DIR)

test: $(STAMP)
	$(PY) -m pytest -n 2 --durations=25 tests

lint: $(STAMP)
	$(VENV)/bin/flake8 $(LINT_PATHS)
	$(VENV)/bin/isort --check-only --diff $(LINT_PATHS)
	$(VENV)/bin/yapf --diff --recursive lnl_mm tools tests setup.py
	$(VENV)/bin/codespell lnl_mm tools tests configs docs README.md CHANGELOG.md
	$(VENV)/bin/mypy lnl_mm/models/meta lnl_mm/models/losses

bench: $(STAMP)
	$(PY) tools/benchmarks/noise_bench.py

clean:
	rm -rf $(VENV) work_dirs
