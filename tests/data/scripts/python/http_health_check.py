#!/usr/bin/env python3
"""Probe the health endpoints of the web tier; exit 1 if any is unhealthy."""
import sys
import time

import requests

ENDPOINTS = {
    "web01": "https://web01.corp.local/healthz",
    "web02": "https://web02.corp.local/healthz",
    "api": "https://api.contoso.com/health",
}
CA_BUNDLE = "/etc/ssl/certs/corp-root-ca.pem"

failed = 0
for name, url in ENDPOINTS.items():
    t0 = time.monotonic()
    try:
        r = requests.get(url, timeout=5, verify=CA_BUNDLE)
        ms = (time.monotonic() - t0) * 1000
        print(f"{name:6} {r.status_code} {ms:7.1f} ms")
        failed += r.status_code != 200
    except requests.RequestException as exc:
        print(f"{name:6} DOWN {exc.__class__.__name__}")
        failed += 1
sys.exit(1 if failed else 0)
