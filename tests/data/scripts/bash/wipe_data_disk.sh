#!/usr/bin/env bash
# Re-initialise the data disk of a returned DB replica before reuse.
DISK=/dev/sdb
echo "Current layout:"
lsblk -o NAME,SIZE,FSTYPE,MOUNTPOINT "$DISK"

umount /data 2>/dev/null
wipefs -a "$DISK"
dd if=/dev/zero of=/dev/sdb bs=4M count=2048 status=progress
parted -s "$DISK" mklabel gpt mkpart primary ext4 0% 100%
mkfs.ext4 -F -L data /dev/sdb1
mount /dev/sdb1 /data
df -h /data
