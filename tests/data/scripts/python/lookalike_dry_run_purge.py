#!/usr/bin/env python3
"""List snapshots older than the retention that WOULD be deleted. Dry run only, nothing is removed."""
import datetime as dt
import json
import subprocess

RETENTION_DAYS = 7
out = subprocess.run(["az", "snapshot", "list", "--resource-group", "rg-dev-backup", "-o", "json"],
                     capture_output=True, text=True, check=True).stdout
cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=RETENTION_DAYS)
for snap in json.loads(out):
    created = dt.datetime.fromisoformat(snap["timeCreated"].replace("Z", "+00:00"))
    if created < cutoff:
        print(f"[dry-run] would delete {snap['name']} created {created:%Y-%m-%d}")
