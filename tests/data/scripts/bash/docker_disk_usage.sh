#!/usr/bin/env bash
# Report what uses disk in Docker on a build agent. Nothing is pruned here.
docker system df -v | head -n 60
echo
echo "Dangling images:"
docker images -f dangling=true --format '{{.ID}} {{.Size}} {{.CreatedSince}}'
echo
echo "Largest container logs:"
find /var/lib/docker/containers -name '*-json.log' -printf '%s %p\n' 2>/dev/null | sort -rn | head -n 10 \
  | awk '{printf "%8.1f MB  %s\n", $1/1048576, $2}'
