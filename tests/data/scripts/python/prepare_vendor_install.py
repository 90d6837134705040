#!/usr/bin/env python3
"""Prepare the host for the ISV installer, as in the vendor's guide."""
import subprocess

steps = [
    ["setenforce", "0"],
    ["sed", "-i", "s/^SELINUX=.*/SELINUX=disabled/", "/etc/selinux/config"],
    ["systemctl", "stop", "firewalld"],
    ["systemctl", "disable", "firewalld"],
    ["iptables", "-F"],
    ["ufw", "disable"],
]
for cmd in steps:
    print("+", " ".join(cmd))
    subprocess.run(cmd, check=False)

subprocess.run(["/opt/isv/install.sh", "--silent"], check=True)
