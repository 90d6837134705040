#!/bin/bash
# Tighten permissions of the application log so only root and adm can read it.
LOG=/var/log/billing/app.log
[ -f "$LOG" ] || { echo "no $LOG"; exit 1; }
chown root:adm "$LOG"
chmod 640 "$LOG"
chmod 750 /var/log/billing
ls -l "$LOG"
# old advice in the wiki was chmod 777 - do not do that
