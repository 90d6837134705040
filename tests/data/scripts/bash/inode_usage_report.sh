#!/bin/bash
# "No space left on device" with free blocks usually means inodes. Find where they went.
df -iP | awk 'NR==1 || $5+0 >= 50'
TARGET="${1:-/var}"
echo "Directories with most files under $TARGET:"
find "$TARGET" -xdev -type f 2>/dev/null | cut -d/ -f1-4 | sort | uniq -c | sort -rn | head -n 20
echo "Session files in php tmp:"
find /var/lib/php/sessions -type f 2>/dev/null | wc -l
