#!/usr/bin/env bash
# Inventory pending updates (security ones first) without installing anything.
. /etc/os-release
echo "$PRETTY_NAME on $(hostname -f)"
if command -v apt >/dev/null; then
    apt list --upgradable 2>/dev/null | tail -n +2 > /tmp/upgradable.txt
    echo "pending: $(wc -l < /tmp/upgradable.txt), security: $(grep -c -- '-security' /tmp/upgradable.txt)"
    grep -- '-security' /tmp/upgradable.txt | head -n 30
else
    dnf -q updateinfo list --security 2>/dev/null | head -n 30
fi
[ -f /var/run/reboot-required ] && echo "NOTE: a reboot is pending (not done by this script)"
