#!/usr/bin/env bash
# Builds release binaries and runs the ingest benchmark (figures, not pass/fail). Pass --size-mb N for a smaller run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bypass-auditor >&2
swift build -c release --product bypass-auditor-bench >&2
bin="$(swift build -c release --show-bin-path)"
"$bin/bypass-auditor-bench" --binary "$bin/bypass-auditor" --data bench-data "$@"
