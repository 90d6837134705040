#!/usr/bin/env bash
# Compress application logs older than 1 day and remove compressed ones older than 30 days.
# Only ever touches files below a fixed, validated directory.
set -euo pipefail

LOG_DIR="/var/log/orderservice"
KEEP_DAYS=30

if [[ ! -d "$LOG_DIR" || "$LOG_DIR" != /var/log/* ]]; then
    echo "refusing to work on '$LOG_DIR'" >&2
    exit 1
fi

find "$LOG_DIR" -maxdepth 1 -type f -name '*.log' -mtime +1 -print0 | xargs -0 -r gzip -9
find "$LOG_DIR" -maxdepth 1 -type f -name '*.log.gz' -mtime +"$KEEP_DAYS" -print -delete

du -sh "$LOG_DIR"
