# make demo: set up and train the main job on embedded data (digits, 40 % noise)
# make test: set up and run the test suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.lnl_mm-installed
DEMO_CONFIG := configs/noisy_baseline/ce_smallcnn_1xb64-30e_digits-sym40.py
DEMO_DIR := work_dirs/demo

.PHONY: demo test install bench clean

install: $(STAMP)

$(STAMP): setup.py requirements/runtime.txt requirements/tests.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements/runtime.txt -r requirements/tests.txt
	$(PY) -m pip install --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(DEMO_DIR)
	$(PY) tools/train.py $(DEMO_CONFIG) --work-dir $(DEMO_DIR)
	$(PY) tools/misc/print_summary.py $(DEMO_DIR)

test: $(STAMP)
	$(PY) -m pytest -n 2 tests

bench: $(STAMP)
	$(PY) tools/benchmarks/noise_bench.py

clean:
	rm -rf $(VENV) work_dirs
