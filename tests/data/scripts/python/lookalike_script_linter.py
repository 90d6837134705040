#!/usr/bin/env python3
"""Flag risky lines in shell scripts submitted to the ops repository."""
import re
import sys

RULES = {
    "recursive delete of root": re.compile(r"rm\s+-rf\s+/(\s|$)"),
    "pipe to shell": re.compile(r"(curl|wget)[^|]*\|\s*(ba)?sh"),
    "reverse shell": re.compile(r"/dev/tcp/|nc\s+-e"),
    "disk wipe": re.compile(r"dd\s+if=.*of=/dev/sd|mkfs\.|wipefs"),
}

status = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            for name, rx in RULES.items():
                if rx.search(line):
                    print(f"{path}:{n}: {name}: {line.strip()}")
                    status = 1
sys.exit(status)
