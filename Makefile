# The two jobs the README opens with: `make demo` (the main job on the bundled sample data) and `make test`.
SWIFT ?= swift
BIN_DIR = $(shell $(SWIFT) build --show-bin-path)

.PHONY: deps build demo test bench clean rules

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

demo: build
	@scripts/demo.sh "$(BIN_DIR)/bypass-auditor"

test: deps
	$(SWIFT) test

# The binary carries Policies/rules (Sources/BypassAuditor/Detection/Rules/BundledRuleFiles.swift): regenerate it
# after editing a rule; BundledRulesTests fails until then.
rules:
	@scripts/embed-rules.py

bench: deps
	@scripts/bench.sh

clean:
	rm -rf .build demo.sqlite
