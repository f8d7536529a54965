# clue-miner: `make demo` sets everything up and runs the nightly job on the bundled sample
# site; `make test` runs the whole suite. Both create .venv on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint format clean eval eval-masking bench bench-crawl bench-nlp bench-link bench-web

$(STAMP): pyproject.toml
	@echo "Creating $(VENV) and installing clue-miner (log: $(VENV)/install.log) …"
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --upgrade pip > $(VENV)/install.log 2>&1 \
	  && $(BIN)/python -m pip install -e '.[dev]' >> $(VENV)/install.log 2>&1 \
	  || (tail -30 $(VENV)/install.log; exit 1)
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install clue-miner with its dev tools

demo: $(STAMP)  ## serve the sample site, run the nightly flow once, print leads
	$(BIN)/clues demo

test: $(STAMP)  ## the whole test suite (PostgreSQL tests skip when none is reachable)
	$(BIN)/python -m pytest

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy clue_miner bench

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:  ## remove state (database, evidence, models, Prefect home); keeps .venv
	rm -rf var

eval-masking: $(STAMP)  ## masking recall and corruption: the development corpus, then the three later ones
	$(BIN)/clues packet evaluate-masking; dev=$$?; \
	$(BIN)/clues packet evaluate-masking --in clue_miner/nlp/corpus/personal_data/heldout.jsonl; \
	first=$$?; \
	$(BIN)/clues packet evaluate-masking --in clue_miner/nlp/corpus/personal_data/heldout2.jsonl; \
	second=$$?; \
	$(BIN)/clues packet evaluate-masking --in clue_miner/nlp/corpus/personal_data/heldout3.jsonl; \
	third=$$?; exit $$((dev || first || second || third))

eval: $(STAMP)  ## the night's decision on the held-out evaluation documents, beside a keyword baseline
	$(BIN)/clues train
	$(BIN)/clues evaluate --in clue_miner/nlp/corpus/eval

bench: $(STAMP)  ## the nightly flow over 20,000 pages and again unchanged, vs bare Scrapy + jieba
	$(BIN)/python -m bench.e2e

bench-crawl: $(STAMP)  ## crawl 5,000 generated pages: our crawl stage vs a bare Scrapy spider
	$(BIN)/python -m bench.crawl

bench-nlp: $(STAMP)  ## clues classify over 10,000 documents vs bare jieba.lcut
	$(BIN)/python -m bench.nlp

bench-link: $(STAMP)  ## join records and make leads over 10,000 and 100,000 generated records
	$(BIN)/python -m bench.link

bench-web: $(STAMP)  ## the triage queue's response times over 10,000 leads on SQLite
	$(BIN)/python -m bench.web
