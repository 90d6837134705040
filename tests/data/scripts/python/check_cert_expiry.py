#!/usr/bin/env python3
"""Days until the TLS certificates of our endpoints expire (verification stays on)."""
import socket
import ssl
import sys
from datetime import datetime, timezone

ENDPOINTS = [("portal.contoso.com", 443), ("api.contoso.com", 443), ("mail.contoso.com", 993)]
WARN_DAYS = 30


def not_after(host, port):
    ctx = ssl.create_default_context()
    with socket.create_connection((host, port), timeout=10) as sock:
        with ctx.wrap_socket(sock, server_hostname=host) as tls:
            cert = tls.getpeercert()
    return datetime.strptime(cert["notAfter"], "%b %d %H:%M:%S %Y %Z").replace(tzinfo=timezone.utc)


status = 0
for host, port in ENDPOINTS:
    try:
        end = not_after(host, port)
    except (OSError, ssl.SSLError) as exc:
        print(f"{host}:{port} ERROR {exc}")
        status = 2
        continue
    days = (end - datetime.now(timezone.utc)).days
    flag = " <-- renew" if days < WARN_DAYS else ""
    print(f"{host}:{port} expires {end:%Y-%m-%d} ({days} days){flag}")
    if days < WARN_DAYS:
        status = max(status, 1)
sys.exit(status)
