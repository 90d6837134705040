#!/usr/bin/env python3
"""Summarise systemd unit states."""
import subprocess

out = subprocess.run(["systemctl", "list-units", "--type=service", "--no-legend"],
                     capture_output=True, text=True).stdout
for line in out.splitlines():
    parts = line.split()
    if len(parts) >= 4 and parts[3] != "running":
        print(parts[0], parts[3])
      print("checked", parts[0])
