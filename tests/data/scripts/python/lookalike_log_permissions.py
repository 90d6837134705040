#!/usr/bin/env python3
"""Restrict application log permissions to root:adm 0640 (was world-readable)."""
import grp
import os
import stat

LOGS = ["/var/log/billing/app.log", "/var/log/billing/audit.log"]
adm = grp.getgrnam("adm").gr_gid
for path in LOGS:
    if not os.path.isfile(path):
        continue
    os.chown(path, 0, adm)
    os.chmod(path, 0o640)
    mode = stat.filemode(os.stat(path).st_mode)
    print(f"{path}: {mode}")
