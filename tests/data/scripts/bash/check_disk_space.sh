#!/bin/bash
# Warn about filesystems above a usage threshold (default 85%).
THRESHOLD="${1:-85}"
status=0

while read -r fs size used avail pct mount; do
    usage="${pct%\%}"
    if [ "$usage" -ge "$THRESHOLD" ]; then
        echo "WARN  $mount is at ${pct} (${used} of ${size} used, ${avail} free) on $fs"
        status=1
    else
        echo "OK    $mount ${pct}"
    fi
done < <(df -hP -x tmpfs -x devtmpfs -x squashfs | tail -n +2)

echo
echo "Largest directories under /var:"
du -xh --max-depth=2 /var 2>/dev/null | sort -rh | head -n 15
exit $status
