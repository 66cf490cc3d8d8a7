#!/usr/bin/env bash
# Builds one libFuzzer target (Fuzz/, a package of its own built for libFuzzer with AddressSanitizer) and runs
# it for SECONDS on a corpus seeded from the test fixtures and the sample data.
# Usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]    TARGET: records | kql | register | snapshot
# Crashing inputs land in Fuzz/Findings/TARGET/; the growing corpus in Fuzz/Corpus/TARGET/ (both ignored by git).
# Commit each crashing input under Tests/BypassAuditorTests/Fixtures/Fuzz/TARGET/ with a test that replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
# SwiftPM names a path dependency after its folder: a checkout in a folder named "fuzz" collides with the Fuzz
# package itself and the build fails with "product 'BypassAuditor' … not found".
if [ "$(basename "$PWD" | tr '[:upper:]' '[:lower:]')" = fuzz ]; then
    echo "fuzz.sh: the checkout's folder is named '$(basename "$PWD")', which SwiftPM confuses with Fuzz/; rename it" >&2
    exit 64
fi
target="${1:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]}"
seconds="${2:?usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer flags...]}"
shift 2
case "$target" in records|kql|register|snapshot) ;; *) echo "unknown target: $target" >&2; exit 64 ;; esac

# The whole fuzz package at once (one build description: building single products rebuilds the dependencies).
# FUZZ_SKIP_BUILD=1 runs what is built (e.g. two targets in parallel after one build).
# One combined -sanitize=fuzzer,address for swiftc: SwiftPM's `--sanitize=fuzzer --sanitize=address` passes two
# -sanitize= flags and swiftc keeps only the last, so the Swift code got AddressSanitizer but no coverage counters
# and libFuzzer ran blind ("no interesting inputs were found").
flags=(--package-path Fuzz --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address)
[ -n "${FUZZ_SKIP_BUILD:-}" ] || swift build "${flags[@]}" >&2
binary="$(swift build "${flags[@]}" --show-bin-path)/fuzz-$target"

corpus="Fuzz/Corpus/$target"
findings="Fuzz/Findings/$target"
mkdir -p "$corpus" "$findings"
python3 scripts/fuzz-seeds.py "$target" "$corpus"

# Swift's backtracer would take over after the first crash (and can hang) before libFuzzer saves the input.
export SWIFT_BACKTRACE=enable=no
exec "$binary" -max_total_time="$seconds" -artifact_prefix="$findings/" -print_final_stats=1 \
  -max_len=65536 -timeout=20 -rss_limit_mb=3072 "$@" "$corpus"
