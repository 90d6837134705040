#!/usr/bin/env bash
# Show the disk layout and the help of the tools used in the disk runbook. Nothing is modified.
lsblk -o NAME,SIZE,TYPE,FSTYPE,MOUNTPOINT,MODEL
blkid
dd --help | head -n 20
mkfs.ext4 -V
wipefs --help | head -n 10
wipefs --no-act /dev/sdb
smartctl -H /dev/sda
