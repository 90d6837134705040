#!/usr/bin/env python3
"""Print the mail queue size of the Postfix relay."""
import subprocess

out = subprocess.run(["mailq"], capture_output=True, text=True).stdout
last = out.strip().splitlines()[-1] if out.strip() else ""
print("queue summary: " + last)
print("relay is smtp01.corp.local)
