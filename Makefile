# Set-up and everyday commands. `make demo` and `make test` do all set-up on a fresh Debian
# machine (as root); a second run skips what is installed and starts the job within seconds.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# System packages: CJK fonts for charts/HTML/PDF, poppler for PDF tests, pango for WeasyPrint,
# Debian's chromium for the browser tests (Playwright's own browser download does not work here),
# PostgreSQL for the store tests on a real server and the tests' and `make cluster-demo`'s throw-away
# servers on 127.0.0.1, LibreOffice Calc to open the CSVs written and to
# print the spreadsheet template as offices do, LibreOffice Writer to open report.docx as offices do;
# both also convert the .doc/.xls/.wps/.et/.odt/.ods files `xxgk import` is given (importers/office.py).
SYS_PKGS := fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql libreoffice-calc-nogui \
            libreoffice-writer-nogui
# report.docx names the fonts of Chinese offices (宋体, 仿宋_GB2312, …): fontconfig draws them with Noto CJK SC.
FONTCONF := src/helpers/templates/fontconfig/65-xxgk-office-fonts.conf
FONTCONF_DIR := /etc/fonts/conf.d
STAMP := $(VENV)/.installed

.PHONY: demo cluster-demo test test-fast sysdeps venv lab lab-venv bench clean-outputs help

help:
	@echo "make demo   - install everything, import the bundled samples, render all reports to outputs/"
	@echo "make cluster-demo - the same through a throw-away PostgreSQL and a 2-worker Dask cluster on 127.0.0.1"
	@echo "make test   - install everything and run the test suite"
	@echo "make lab    - install JupyterLab (once, in .venv-lab) and open notebooks/annual_report.ipynb in it"
	@echo "make bench  - run the benchmarks under bench/"

sysdeps:
	@missing=""; for p in $(SYS_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Missing system packages:$$missing"; \
	    echo "Run as root:  apt-get update && apt-get install -y$$missing"; exit 1; \
	  fi; \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@if ! cmp -s $(FONTCONF) $(FONTCONF_DIR)/$(notdir $(FONTCONF)); then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Run as root:  install -m 0644 $(FONTCONF) $(FONTCONF_DIR)/"; exit 1; \
	  fi; \
	  install -m 0644 $(FONTCONF) $(FONTCONF_DIR)/; \
	fi

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[test]'
	@# matplotlib caches the font list; a cache made before the CJK fonts were installed hides them.
	@rm -f $${MPLCONFIGDIR:-$$HOME/.cache/matplotlib}/fontlist-*.json
	@touch $(STAMP)

venv: sysdeps $(STAMP)

demo: venv
	$(BIN)/xxgk demo

cluster-demo: venv
	$(BIN)/python -m helpers.cluster.demo

test: venv
	$(BIN)/python -m pytest -q

test-fast: venv
	$(BIN)/python -m pytest -q -m "not slow and not browser and not cluster"

# JupyterLab in a venv of its own: its dependencies (jsonschema's format checkers among them) would
# slow every papermill and nbconvert start in .venv. Its one kernel, "python3", is .venv's Python
# (where helpers is installed). The server config lets the documented `jupyter lab` start as root
# (the set-up above runs as root) and gives kernels CurveZMQ keys (encrypted, no TCP warning).
LAB := .venv-lab
LAB_STAMP := $(LAB)/.installed
LAB_PKGS := 'jupyterlab>=4'
LAB_ARGS ?=

$(LAB_STAMP): $(STAMP)
	@test -x $(LAB)/bin/python || $(PYTHON) -m venv $(LAB)
	$(LAB)/bin/pip install -q --disable-pip-version-check $(LAB_PKGS)
	@# (its warning that the prefix is not on .venv's own kernel path is about .venv, not .venv-lab)
	$(BIN)/python -m ipykernel install --prefix "$(abspath $(LAB))" --name python3 --display-name "Python 3 (xxgk)" \
	  >/dev/null 2>$(LAB)/kernel-install.log || { cat $(LAB)/kernel-install.log; exit 1; }
	@mkdir -p $(LAB)/etc/jupyter
	@echo '{"ServerApp": {"allow_root": true}, "KernelManager": {"transport_encryption": "auto"}}' > $(LAB)/etc/jupyter/jupyter_server_config.json
	@touch $(LAB_STAMP)

lab-venv: venv $(LAB_STAMP)

lab: lab-venv
	$(LAB)/bin/jupyter lab $(LAB_ARGS) notebooks/annual_report.ipynb

bench: venv
	$(BIN)/python bench/import_accuracy.py
	$(BIN)/python bench/sweep.py
	$(BIN)/python bench/rollup.py
	$(BIN)/python bench/store.py
	$(BIN)/python bench/cluster.py
	$(BIN)/python bench/import_folder.py

clean-outputs:
	find outputs -mindepth 1 ! -name README.md -delete
