#!/usr/bin/env bash
# Writes main-209516c.sqlite and the expected outputs beside it with a bypass-auditor built from main at 209516c
# (before the bypass_change migration). Run once, from the repository root, with that binary; the outputs are
# committed and must never be regenerated with a newer binary (they are what an old database looks like).
# Usage: Tests/BypassAuditorTests/Fixtures/Upgrade/make-fixture.sh PATH-TO-OLD-bypass-auditor
set -euo pipefail
bin="$1"
here="Tests/BypassAuditorTests/Fixtures/Upgrade"
db="$(mktemp -d)/upgrade.sqlite"
data="scripts/sample-data"
tenant="4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
"$bin" ingest --db "$db" "$data/logs"
"$bin" detect --db "$db" --now 2026-11-29T00:00:00Z
"$bin" snapshot import --db "$db" --tenant "$tenant" --complete --taken-at 2026-09-30T23:00:00Z \
  "$data/snapshots/bypass-associations-2026-09-30.json"
"$bin" snapshot import --db "$db" --tenant "$tenant" --taken-at 2026-10-31T22:00:00Z \
  "$data/snapshots/bypass-associations-2026-10-31.csv"
"$bin" drift --db "$db" --allowlist Policies/allowlist.yaml --period 2026-10 --json > "$here/drift-2026-10.json" || [ $? -eq 3 ]
"$bin" report --db "$db" --allowlist Policies/allowlist.yaml --period 2026-10 --now 2026-11-02T00:00:00Z \
  --out "$(dirname "$db")/Reports" --format json > /dev/null
"$bin" inventory --db "$db" --as-of 2026-10-31 --json > "$here/inventory-2026-10-31.json"
"$bin" inventory --db "$db" --all --json > "$here/inventory-all.json"
"$bin" verify --db "$db" --json > "$here/verify.json"
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;' > /dev/null
cp "$db" "$here/main-209516c.sqlite"
