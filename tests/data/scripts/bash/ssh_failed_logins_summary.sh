#!/usr/bin/env bash
# Summarise failed SSH logins per source address and per user from the auth log.
LOG=/var/log/auth.log
[ -f /var/log/secure ] && LOG=/var/log/secure

echo "Failed password attempts by source IP:"
grep -h "Failed password" "$LOG" "$LOG".1 2>/dev/null \
  | grep -oE 'from [0-9a-f.:]+' | awk '{print $2}' | sort | uniq -c | sort -rn | head -n 15

echo "Invalid users tried:"
grep -h "Invalid user" "$LOG" 2>/dev/null | awk '{print $8}' | sort | uniq -c | sort -rn | head -n 15

echo "Accepted logins today:"
grep "Accepted" "$LOG" | grep "$(date '+%b %e')" | awk '{print $1,$2,$3,$9,$11}'
