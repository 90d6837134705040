#!/usr/bin/env bash
# Onboarding banner for the shared jump host.
cat <<'BANNER'
Welcome to jump01.corp.local
 - Never run "rm -rf /" or "dd of=/dev/sda" here; this host is shared.
 - Do not pipe downloads into a shell (curl ... | sh). Use the package mirror.
BANNER
echo "never run rm -rf / on a server"
echo "Last login audit: $(last -n 5 | head -n 5)"
