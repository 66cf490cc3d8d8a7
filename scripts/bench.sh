#!/usr/bin/env bash
# Builds release binaries and runs the benchmark (figures and targets, not pass/fail): ingest beside grep on a 1 GB
# corpus, drift and report at scale. Options go to bypass-auditor-bench: --size-mb N for a smaller corpus, --runs N,
# --skip-ingest, --skip-scale. Run it on an idle machine (it prints the load average); corpora stay in bench-data/.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bypass-auditor >&2
swift build -c release --product bypass-auditor-bench >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/bypass-auditor-bench" --binary "$bin/bypass-auditor" --data bench-data "$@"
