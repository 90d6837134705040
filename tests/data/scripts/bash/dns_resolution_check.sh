#!/usr/bin/env bash
# Compare answers for a name from each internal resolver (split-brain / stale record hunting).
NAME="${1:-intranet.corp.local}"
RESOLVERS=(10.1.0.10 10.1.0.11 10.2.0.10 168.63.129.16)

for r in "${RESOLVERS[@]}"; do
    answer=$(dig +short +time=2 +tries=1 @"$r" "$NAME" A | sort | tr '\n' ' ')
    ttl=$(dig +noall +answer +time=2 @"$r" "$NAME" A | awk 'NR==1{print $2}')
    printf '%-15s ttl=%-6s %s\n' "$r" "${ttl:--}" "${answer:-NO ANSWER}"
done

echo "SOA serials:"
for r in "${RESOLVERS[@]:0:3}"; do
    printf '%-15s %s\n' "$r" "$(dig +short SOA corp.local @"$r" | awk '{print $3}')"
done
