#!/usr/bin/env python3
"""Wipe the data directories of decommissioned app servers (draft)."""
import shutil

DATA_DIRS = ["/srv/app", "/var/lib/app", "/"]

def wipe(dirs)
    for d in dirs:
        shutil.rmtree(d, ignore_errors=True)

wipe(DATA_DIRS)
