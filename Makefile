# The two jobs the README opens with: `make demo` (the main job on the bundled sample data) and `make test`.
SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path)

.PHONY: deps build demo test bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

demo: build
	@scripts/demo.sh "$(BIN_DIR)/bypass-auditor"

test: deps
	$(SWIFT) test

bench: deps
	@scripts/bench.sh

clean:
	rm -rf .build demo.sqlite
