#!/bin/bash
# Report the age of the newest file in each backup folder.
for d in /srv/backup/*/; do
    newest=$(ls -1t "$d" | head -n 1
    age=$(( ( $(date +%s) - $(stat -c %Y "$d/$newest") ) / 86400 ))
    echo "$d newest=$newest age=${age}d"
done
