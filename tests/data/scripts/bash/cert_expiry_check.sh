#!/usr/bin/env bash
# Print days until expiry for the TLS certificates of our public endpoints.
HOSTS="portal.contoso.com:443 api.contoso.com:443 mail.contoso.com:993 vpn.contoso.com:443"
WARN_DAYS=30

for target in $HOSTS; do
    host="${target%%:*}"
    end=$(echo | timeout 10 openssl s_client -servername "$host" -connect "$target" 2>/dev/null \
          | openssl x509 -noout -enddate 2>/dev/null | cut -d= -f2)
    if [ -z "$end" ]; then
        echo "$target: could not read certificate"
        continue
    fi
    days=$(( ( $(date -d "$end" +%s) - $(date +%s) ) / 86400 ))
    flag=""
    [ "$days" -lt "$WARN_DAYS" ] && flag="  <-- renew"
    echo "$target expires $end ($days days)$flag"
done
