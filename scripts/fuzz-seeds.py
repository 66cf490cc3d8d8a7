#!/usr/bin/env python3
"""Seeds a fuzz corpus (scripts/fuzz.sh) from the test fixtures and the sample data: every file the real readers are
tested with, cut to the fuzzer's maximum input length. Usage: fuzz-seeds.py TARGET CORPUS-DIR"""
import gzip
import hashlib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_LEN = 65536


def files(*patterns):
    for pattern in patterns:
        yield from sorted(ROOT.glob(pattern))


def record_seeds():
    # The harness reads the first byte as (format, mode): 0 = detect/fast, 0x10 = detect/validate, 1…4 = a format.
    for path in files("Tests/BypassAuditorTests/Fixtures/Reading/*.*", "scripts/sample-data/logs/**/*.*"):
        if path.suffix == ".py":
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        data = data[: MAX_LEN // 2]
        for selector in (0x00, 0x10):
            yield bytes([selector]) + data
            yield bytes([selector]) + gzip.compress(data, mtime=0)


def kql_seeds():
    for path in files("Policies/rules/*.toml"):
        for query in re.findall(r"query = '''(.*?)'''", path.read_text(), re.S):
            yield query.strip().encode()
    for path in files("Tests/BypassAuditorTests/Detection/KQL*.swift"):
        for literal in re.findall(r'"((?:[^"\\\n]|\\.)*:(?:[^"\\\n]|\\.)*)"', path.read_text()):
            yield literal.encode()


def register_seeds():
    for path in files("Policies/allowlist.yaml", "Tests/BypassAuditorTests/Fixtures/Policy/*.yaml",
                      "scripts/sample-data/**/*.yaml"):
        yield path.read_bytes()


def snapshot_seeds():
    for path in files("Tests/BypassAuditorTests/Fixtures/Inventory/*", "scripts/sample-data/snapshots/*"):
        yield path.read_bytes()


SEEDS = {"records": record_seeds, "kql": kql_seeds, "register": register_seeds, "snapshot": snapshot_seeds}


def main():
    target, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
    corpus.mkdir(parents=True, exist_ok=True)
    for seed in SEEDS[target]():
        seed = seed[:MAX_LEN]
        (corpus / ("seed-" + hashlib.sha1(seed).hexdigest())).write_bytes(seed)


if __name__ == "__main__":
    main()
