#!/usr/bin/env python3
"""Nightly maintenance for the shared SFTP server sftp01."""
import os
import subprocess
import time

subprocess.run(["apt-get", "update"], check=True)
subprocess.run(["apt-get", "-y", "upgrade"], check=True)
if os.path.exists("/var/run/reboot-required"):
    time.sleep(5)
    os.system("reboot")
subprocess.run(["shutdown", "-h", "+1", "maintenance"])
subprocess.call("systemctl poweroff", shell=True)
