#!/usr/bin/env bash
# Show the most frequent upstream errors in the nginx error log of the last N lines.
set -u
LOG="${NGINX_ERROR_LOG:-/var/log/nginx/error.log}"
LINES="${1:-5000}"

if [[ ! -r "$LOG" ]]; then
    echo "cannot read $LOG" >&2
    exit 2
fi

echo "== last 20 errors =="
tail -n 20 "$LOG"

echo "== top upstream error messages (last $LINES lines) =="
tail -n "$LINES" "$LOG" \
  | grep -oE '(upstream timed out|connect\(\) failed|no live upstreams|upstream prematurely closed)[^,]*' \
  | sort | uniq -c | sort -rn | head -n 10

echo "== 5xx in access log, last hour =="
awk -v d="$(date -d '-1 hour' '+%d/%b/%Y:%H')" '$4 ~ d && $9 ~ /^5/ {print $7}' /var/log/nginx/access.log \
  | sort | uniq -c | sort -rn | head -n 10
