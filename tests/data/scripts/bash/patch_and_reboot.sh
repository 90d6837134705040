#!/bin/bash
# Monthly patching of the file server fs-lnx-01 (serves all departments).
set -e
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get -y upgrade
apt-get -y autoremove

if [ -f /var/run/reboot-required ]; then
    echo "rebooting $(hostname) now"
    systemctl reboot
fi
shutdown -r now
