#!/usr/bin/env python3
"""Compress app logs older than a day and remove archives older than 30 days, only below LOG_DIR."""
import gzip
import pathlib
import shutil
import time

LOG_DIR = pathlib.Path("/var/log/orderservice")
KEEP_DAYS = 30
now = time.time()

if not LOG_DIR.is_dir() or LOG_DIR.resolve().parent != pathlib.Path("/var/log"):
    raise SystemExit(f"refusing to rotate in {LOG_DIR}")

for f in LOG_DIR.glob("*.log"):
    if now - f.stat().st_mtime > 86400:
        with f.open("rb") as src, gzip.open(f"{f}.gz", "wb") as dst:
            shutil.copyfileobj(src, dst)
        f.unlink()
        print(f"compressed {f}")

for gz in LOG_DIR.glob("*.log.gz"):
    if now - gz.stat().st_mtime > KEEP_DAYS * 86400:
        gz.unlink()
        print(f"removed {gz}")
