#!/usr/bin/env bash
# Errors since the last boot, grouped by unit, to see what broke after patching.
echo "booted: $(uptime -s)"
journalctl -b -p err --no-pager -o json 2>/dev/null \
  | jq -r '._SYSTEMD_UNIT // .SYSLOG_IDENTIFIER // "kernel"' \
  | sort | uniq -c | sort -rn | head -n 20
echo "--- last 40 error lines ---"
journalctl -b -p err --no-pager | tail -n 40
systemctl list-units --state=failed --no-pager
