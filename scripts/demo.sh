#!/usr/bin/env bash
# The main job on the bundled sample data: ingest every log, run detection, import the snapshots, show the
# inventory and drift, and write the October 2026 report. Usage: scripts/demo.sh PATH-TO-bypass-auditor
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-$(swift build --show-bin-path)/bypass-auditor}"
db="demo.sqlite"
data="scripts/sample-data"
tenant="4a2f6c1e-8b3d-4e5f-9a0b-1c2d3e4f5a6b"
rm -f "$db" "$db-wal" "$db-shm"
# A fresh database, so a fresh report folder: a rerun would otherwise add revision after revision beside the first.
rm -rf Reports/demo

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "ingest the sample logs (Purview CSV, Management API NDJSON plain and gzip, Filebeat ECS)"
"$bin" ingest --db "$db" "$data/logs"

step "run the detection rules over everything stored"
"$bin" detect --db "$db" --now 2026-11-29T00:00:00Z

step "import two Get-MailboxAuditBypassAssociation snapshots"
"$bin" snapshot import --db "$db" --tenant "$tenant" --complete --taken-at 2026-09-30T23:00:00Z \
  "$data/snapshots/bypass-associations-2026-09-30.json"
"$bin" snapshot import --db "$db" --tenant "$tenant" --taken-at 2026-10-31T22:00:00Z \
  "$data/snapshots/bypass-associations-2026-10-31.csv"

step "inventory at the end of October 2026"
"$bin" inventory --db "$db" --as-of 2026-10-31

step "drift against Policies/allowlist.yaml for October 2026 (exit 3 = findings at or above high)"
"$bin" drift --db "$db" --period 2026-10 || [ $? -eq 3 ]

step "the monthly report for October 2026"
"$bin" report --db "$db" --period 2026-10 --out Reports/demo
