#!/usr/bin/env bash
# Read-only check of last night's restic snapshots on the backup server.
set -u
export RESTIC_REPOSITORY="sftp:backup@bkp01.corp.local:/srv/restic/hr-share"
export RESTIC_PASSWORD_FILE="/etc/restic/hr-share.pass"

latest=$(restic snapshots --latest 1 --json | jq -r '.[0].time // empty')
if [ -z "$latest" ]; then
    echo "no snapshot found in $RESTIC_REPOSITORY"
    exit 2
fi
age_h=$(( ( $(date +%s) - $(date -d "$latest" +%s) ) / 3600 ))
echo "latest snapshot: $latest (${age_h}h ago)"
restic stats latest --mode raw-data
[ "$age_h" -le 26 ] && echo "BACKUP OK" || { echo "BACKUP STALE"; exit 1; }
