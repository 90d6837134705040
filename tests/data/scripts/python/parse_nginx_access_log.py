#!/usr/bin/env python3
"""Top URLs, status codes and slowest requests from an nginx access log."""
import collections
import re
import sys

LINE = re.compile(r'(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) [^"]*" '
                  r'(?P<status>\d{3}) (?P<size>\d+) "[^"]*" "[^"]*" (?P<rt>[\d.]+)')

path = sys.argv[1] if len(sys.argv) > 1 else "/var/log/nginx/access.log"
statuses = collections.Counter()
errors = collections.Counter()
slow = []

with open(path, encoding="utf-8", errors="replace") as fh:
    for line in fh:
        m = LINE.match(line)
        if not m:
            continue
        statuses[m["status"]] += 1
        if m["status"].startswith("5"):
            errors[m["path"]] += 1
        slow.append((float(m["rt"]), m["path"]))

print("status codes:", dict(statuses.most_common()))
print("top 5xx paths:")
for p, n in errors.most_common(10):
    print(f"  {n:6} {p}")
print("slowest requests:")
for rt, p in sorted(slow, reverse=True)[:10]:
    print(f"  {rt:7.3f}s {p}")
