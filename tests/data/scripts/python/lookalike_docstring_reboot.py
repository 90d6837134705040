#!/usr/bin/env python3
"""Report which hosts need a reboot after patching.

This tool only reports. It must never call os.system("reboot") or
subprocess.run(["shutdown", "-r", "now"]) itself: reboots of shared servers go
through the change calendar.
"""
import pathlib
import socket

flag = pathlib.Path("/var/run/reboot-required")
pkgs = pathlib.Path("/var/run/reboot-required.pkgs")
host = socket.gethostname()
if flag.exists():
    why = pkgs.read_text().split() if pkgs.exists() else []
    print(f"{host}: reboot required ({', '.join(why) or 'unknown packages'})")
else:
    print(f"{host}: no reboot required")
