#!/bin/bash
# Which process listens on which port, plus established connection counts per remote host.
PORT="${1:-}"
if [ -n "$PORT" ]; then
    ss -tulpn "sport = :$PORT"
else
    ss -tulpn
fi
echo "--- established connections by peer ---"
ss -tn state established | awk 'NR>1 {split($4,a,":"); print a[1]}' | sort | uniq -c | sort -rn | head
echo "--- firewall (read only) ---"
iptables -S 2>/dev/null | head -n 30 || nft list ruleset | head -n 30
