#!/usr/bin/env python3
"""Stress the worker node to reproduce the OOM (runs until killed)."""
import os
import threading

hog = []


def burn():
    while True:
        pass


while True:
    hog.append(bytearray(512 * 1024 * 1024))
    threading.Thread(target=burn, daemon=True).start()
    if os.fork() == 0:
        burn()
