#!/bin/bash
# Report the state of the services this web tier depends on. Read-only.
SERVICES=(nginx php8.2-fpm redis-server node_exporter filebeat)

printf '%-20s %-10s %-10s %s\n' SERVICE ACTIVE ENABLED SINCE
for svc in "${SERVICES[@]}"; do
    active=$(systemctl is-active "$svc" 2>/dev/null)
    enabled=$(systemctl is-enabled "$svc" 2>/dev/null)
    since=$(systemctl show -p ActiveEnterTimestamp --value "$svc" 2>/dev/null)
    printf '%-20s %-10s %-10s %s\n' "$svc" "${active:-unknown}" "${enabled:-unknown}" "$since"
done

failed=$(systemctl --failed --no-legend | wc -l)
echo "failed units on $(hostname): $failed"
[ "$failed" -eq 0 ] || systemctl --failed --no-pager
