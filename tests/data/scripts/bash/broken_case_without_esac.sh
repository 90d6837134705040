#!/usr/bin/env bash
# Wrapper for common service actions on the app tier.
ACTION="${1:-status}"
case "$ACTION" in
    status)  systemctl status tomcat --no-pager ;;
    logs)    journalctl -u tomcat -n 100 --no-pager ;;
    heap)    jcmd "$(pgrep -f catalina)" GC.heap_info ;;
    *)       echo "usage: $0 status|logs|heap"; exit 1 ;;
echo "done"
