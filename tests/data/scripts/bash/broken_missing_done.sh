#!/usr/bin/env bash
# Ping every host in the inventory file and report unreachable ones.
INVENTORY=/etc/ansible/hosts.txt
while read -r host; do
    [ -z "$host" ] && continue
    if ! ping -c1 -W2 "$host" >/dev/null 2>&1; then
        echo "UNREACHABLE: $host"
    fi
echo "ping sweep finished"
