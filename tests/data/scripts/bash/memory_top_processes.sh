#!/bin/sh
# Memory overview: totals, top consumers, and recent OOM killer activity.
echo "== free =="
free -m
echo "== top 15 by RSS =="
ps -eo pid,user,rss,vsz,comm --sort=-rss | head -n 16
echo "== slab top =="
slabtop -o -s c 2>/dev/null | head -n 15
echo "== OOM events (kernel log) =="
dmesg -T 2>/dev/null | grep -iE 'out of memory|oom-killer|killed process' | tail -n 20
