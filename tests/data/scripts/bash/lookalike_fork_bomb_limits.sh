#!/bin/bash
# Check that user process limits protect the shared build host against runaway builds.
echo "nproc soft limit: $(ulimit -Su)"
echo "nproc hard limit: $(ulimit -Hu)"
grep -v '^#' /etc/security/limits.conf | grep -E 'nproc|nofile' || echo "no limits configured"
echo 'A limit of 4096 stops a fork bomb like :(){ :|:& };: from taking the host down.'
systemctl show user-1000.slice -p TasksMax
