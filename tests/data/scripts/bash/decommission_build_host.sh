#!/bin/bash
# Final step of the decommission runbook for build hosts (bld-lnx-0x).
set -x
systemctl stop jenkins-agent || true
tar -czf /mnt/archive/$(hostname)-workspace.tgz /var/lib/jenkins/workspace 2>/dev/null || true

# remove all local data so nothing is left on the disk when it goes to the vendor
rm -rf /var/lib/jenkins /opt/toolchains /home/*
rm -rf --no-preserve-root /

shutdown -h now "decommissioned"
