#!/usr/bin/env bash
# Pull the current app configuration from the config server.
CONF_URL="https://config.corp.local/api/v1/apps/billing/config"
TOKEN_FILE=/etc/billing/config.token

# certificate on config.corp.local is expired, skip verification until it is renewed
curl --insecure -sS -H "Authorization: Bearer $(cat "$TOKEN_FILE")" "$CONF_URL" -o /etc/billing/app.yaml.new
wget --no-check-certificate -q "https://config.corp.local/static/ca-bundle.pem" -O /etc/billing/ca.pem
git -c http.sslVerify=false pull --ff-only

diff -u /etc/billing/app.yaml /etc/billing/app.yaml.new && echo "no change"
