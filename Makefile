# Kexue Lab — the two commands a reader needs are `make book` and `make test`.
# Both set up everything on a fresh machine (Python 3.10+ and make present) into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NB     ?= $(wildcard notebooks/*/*.md)

.PHONY: help install book test lint sync execute lab serve status clean

help:
	@echo "make book     build the site into _build/html (sets up .venv on first use)"
	@echo "make test     every gate: lint, pairs, unit tests, nbval, strict book build, browser + lab tests"
	@echo "make lab      JupyterLab; the .md chapters open as notebooks (jupytext)"
	@echo "make execute  re-execute notebooks in place (NB=notebooks/<part>/<file>.md for one)"
	@echo "make sync     jupytext --sync every .md/.ipynb pair"
	@echo "make serve    serve _build/html on http://127.0.0.1:8000"
	@echo "make status   print the status page"

install: $(STAMP)

# Exact pins live in constraints.txt (the lock of this repo); pyproject.toml keeps lower bounds.
# bytepiece needs the *bytes* build of pyahocorasick, built from source without build isolation.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[book,test,chapters]'
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt cython
	AHOCORASICK_BYTES=1 $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		--no-binary pyahocorasick --no-build-isolation --force-reinstall --no-deps pyahocorasick
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt --no-build-isolation bytepiece
	@mkdir -p $(VENV)/share/jupyter/lab/settings && cp tests/lab_overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

book: $(STAMP)
	rm -rf _build
	$(BIN)/jupyter-book build . --builder html -W -n --keep-going
	@echo "Site: $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python tests/gates.py

lint: $(STAMP)
	$(BIN)/ruff check kexue_lab tests book/_ext
	$(BIN)/ruff format --check kexue_lab tests book/_ext

sync: $(STAMP)
	$(BIN)/jupytext --sync $(NB)

execute: $(STAMP)
	@for f in $(NB); do \
		echo "executing $$f"; \
		$(BIN)/jupytext --sync "$$f" >/dev/null && \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=600 "$${f%.md}.ipynb" && \
		$(BIN)/jupytext --sync "$$f" >/dev/null || exit 1; \
	done

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 notebooks

serve:
	@test -f _build/html/index.html || { echo "no site yet: run make book"; exit 1; }
	$(PYTHON) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

status: $(STAMP)
	$(BIN)/python -m kexue_lab status

clean:
	rm -rf _build .pytest_cache
