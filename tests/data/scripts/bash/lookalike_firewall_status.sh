#!/bin/bash
# Read-only firewall status for the change advisory board.
echo "== firewalld =="
systemctl status firewalld --no-pager | head -n 5
firewall-cmd --list-all 2>/dev/null
echo "== ufw =="
ufw status verbose 2>/dev/null
echo "== iptables (list only, iptables -F is never run here) =="
iptables -L -n -v --line-numbers | head -n 40
getenforce 2>/dev/null
