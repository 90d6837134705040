#!/usr/bin/env bash
# Verify time synchronisation; Kerberos breaks beyond 5 minutes of skew.
if command -v chronyc >/dev/null 2>&1; then
    chronyc tracking
    chronyc sources -v
    offset=$(chronyc tracking | awk '/System time/ {print $4}')
    echo "current offset: ${offset}s"
else
    timedatectl timesync-status 2>/dev/null || ntpq -p
fi
timedatectl show -p NTPSynchronized
echo "reference DC time:"; ntpdate -q dc01.corp.local 2>/dev/null | tail -n 1
