#!/usr/bin/env python3
"""Disk usage per mount and the largest directories below a path."""
import os
import shutil
import sys

MOUNTS = ["/", "/var", "/srv", "/home"]
for m in MOUNTS:
    if os.path.ismount(m):
        u = shutil.disk_usage(m)
        print(f"{m:8} {u.used / u.total:6.1%} used, {u.free / 2**30:8.1f} GiB free")

root = sys.argv[1] if len(sys.argv) > 1 else "/var/log"
sizes = {}
for dirpath, _dirs, files in os.walk(root, onerror=lambda e: None):
    total = 0
    for f in files:
        try:
            total += os.lstat(os.path.join(dirpath, f)).st_size
        except OSError:
            pass
    sizes[dirpath] = total
for d, s in sorted(sizes.items(), key=lambda kv: kv[1], reverse=True)[:15]:
    print(f"{s / 2**20:10.1f} MiB  {d}")
