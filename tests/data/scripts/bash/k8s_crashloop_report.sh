#!/usr/bin/env bash
# List pods that are crash-looping or pending in a namespace, with the last log lines of each.
set -euo pipefail
NS="${1:-payments-staging}"
CTX="${KUBE_CONTEXT:-aks-dev}"

kubectl --context "$CTX" -n "$NS" get pods -o wide

bad=$(kubectl --context "$CTX" -n "$NS" get pods \
      -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.containerStatuses[0].state.waiting.reason}{"\n"}{end}' \
      | awk '$2=="CrashLoopBackOff" || $2=="ImagePullBackOff" {print $1}')

for pod in $bad; do
    echo "===== $pod ====="
    kubectl --context "$CTX" -n "$NS" describe pod "$pod" | sed -n '/Events:/,$p' | tail -n 15
    kubectl --context "$CTX" -n "$NS" logs "$pod" --previous --tail=50 2>/dev/null \
      || kubectl --context "$CTX" -n "$NS" logs "$pod" --tail=50
done

kubectl --context "$CTX" -n "$NS" get events --sort-by=.lastTimestamp | tail -n 20
