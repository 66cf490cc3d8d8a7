#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, only when missing:
# libsqlite3-dev (GRDB links the system SQLite), zlib1g-dev (in-process gzip), tidy (the HTML report validator test),
# time (GNU time: the benchmark measures each child's own peak RSS with it).
set -euo pipefail
needed=(libsqlite3-dev zlib1g-dev tidy time)
missing=()
for package in "${needed[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
