#!/usr/bin/env python3
"""Collect read-only system diagnostics into a JSON file for the ticket."""
import json
import os
import platform
import shutil
import subprocess
import time

COMMANDS = {
    "uptime": ["uptime"],
    "top": ["top", "-b", "-n", "1"],
    "df": ["df", "-hP"],
    "free": ["free", "-m"],
    "failed_units": ["systemctl", "--failed", "--no-legend"],
}


def run(cmd):
    if shutil.which(cmd[0]) is None:
        return f"{cmd[0]} not installed"
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    return proc.stdout if proc.returncode == 0 else proc.stderr


def main():
    report = {
        "host": platform.node(),
        "kernel": platform.release(),
        "collected_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg": os.getloadavg(),
        "cpu_count": os.cpu_count(),
    }
    for name, cmd in COMMANDS.items():
        report[name] = run(cmd)
    out = f"/tmp/diag-{report['host']}-{int(time.time())}.json"
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)
    print(f"written {out}")


if __name__ == "__main__":
    main()
