#!/usr/bin/env bash
# Check whether the nginx config is valid before a reload.
if nginx -t 2>/tmp/nginx-test.log; then
    echo "config OK"
    if systemctl is-active --quiet nginx; then
        systemctl reload nginx
    fi
else
    echo "config invalid:"
    cat /tmp/nginx-test.log
