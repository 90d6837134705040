#!/bin/bash
# Frees space on a build agent: old workspaces, then the package cache.
# The last command is the kind of line a generated script must never slip past review.
set -euo pipefail

workspace_root=/srv/agent/_work
find "${workspace_root:?}" -maxdepth 1 -type d -mtime +14 -print0 | xargs -0 -r rm -rf --
apt-get clean
echo "freed: $(df -h --output=avail / | tail -1)"

rm -rf "$CACHE_DIR/"
