#!/usr/bin/env python3
"""Average load over the last samples."""
import os
import time

samples = []
for _ in range(5):
    samples.append(os.getloadavg()[0]
    time.sleep(1)
print(f"average load: {sum(samples) / len(samples):.2f}")
