#!/usr/bin/env bash
# Writes main-f1f34b5.sqlite and drift-f1f34b5-2026-10.json with a bypass-auditor built from main at f1f34b5 (before
# the v8-register-parse migration). Run once, from the repository root, with that binary; never regenerate the
# outputs with a newer binary.
# Usage: Tests/BypassAuditorTests/Fixtures/Upgrade/make-fixture-f1f34b5.sh PATH-TO-OLD-bypass-auditor
set -euo pipefail
bin="$1"
here="Tests/BypassAuditorTests/Fixtures/Upgrade"
db="$(mktemp -d)/upgrade.sqlite"
"$bin" ingest --db "$db" scripts/sample-data/logs > /dev/null
"$bin" detect --db "$db" --now 2026-11-29T00:00:00Z > /dev/null
"$bin" drift --db "$db" --allowlist Policies/allowlist.yaml --period 2026-10 --json > "$here/drift-f1f34b5-2026-10.json" \
  || [ $? -eq 3 ]
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;' > /dev/null
cp "$db" "$here/main-f1f34b5.sqlite"
