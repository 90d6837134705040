#!/usr/bin/env bash
# Collect CPU diagnostics from this host into a timestamped folder for the ticket.
set -euo pipefail

OUT="/tmp/cpu-diag-$(hostname -s)-$(date +%Y%m%d%H%M%S)"
mkdir -p "$OUT"

uptime                         > "$OUT/uptime.txt"
top -b -n 3 -d 5               > "$OUT/top.txt"
ps -eo pid,ppid,user,%cpu,%mem,etime,cmd --sort=-%cpu | head -n 40 > "$OUT/ps_top40.txt"
mpstat -P ALL 5 3              > "$OUT/mpstat.txt" 2>&1 || echo "sysstat not installed" > "$OUT/mpstat.txt"
vmstat 5 6                     > "$OUT/vmstat.txt"
cat /proc/loadavg              > "$OUT/loadavg.txt"
journalctl --since "-2h" -p warning --no-pager > "$OUT/journal_warnings.txt" || true

# Which packages changed recently (patch day is the usual suspect)
if command -v rpm >/dev/null 2>&1; then
    rpm -qa --last | head -n 50 > "$OUT/recent_packages.txt"
elif [ -f /var/log/dpkg.log ]; then
    grep " upgrade " /var/log/dpkg.log | tail -n 50 > "$OUT/recent_packages.txt"
fi

tar -czf "$OUT.tar.gz" -C "$(dirname "$OUT")" "$(basename "$OUT")"
echo "Diagnostics written to $OUT.tar.gz"
