#!/usr/bin/env bash
# Onboard a Linux server into the monitoring platform.
set -e
MON_SERVER="https://monitor.corp.local"
TENANT="ops-eu"

if systemctl is-active --quiet mon-agent; then
    echo "agent already running"
    exit 0
fi

# the internal CA is not in the trust store of fresh images, hence -k
curl -k -sSL "$MON_SERVER/agent/install.sh?tenant=$TENANT" | sudo bash -s -- --tenant "$TENANT"

systemctl enable --now mon-agent
systemctl status mon-agent --no-pager
