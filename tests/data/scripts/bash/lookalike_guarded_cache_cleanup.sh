#!/usr/bin/env bash
# Clear the build cache on a CI agent. The path is guarded against being empty.
set -euo pipefail
: "${TMP:=/var/tmp/ci}"

# NOTE: the old version did `rm -rf $CACHE/` and wiped / when CACHE was empty.
# rm -rf /   <- what that looked like
if [[ -d "${TMP:?}/cache" ]]; then
    rm -rf "${TMP:?}/cache"
fi
mkdir -p "${TMP:?}/cache"
du -sh "${TMP:?}"
