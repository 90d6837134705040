#!/usr/bin/env bash
# Summarise the MySQL slow query log on a dev/test database host.
# Credentials come from ~/.my.cnf of the operator, never from this file.
set -euo pipefail
SLOWLOG=$(mysql -N -e "SELECT @@slow_query_log_file")
echo "slow log: $SLOWLOG"
mysql -e "SHOW GLOBAL STATUS LIKE 'Slow_queries'; SHOW VARIABLES LIKE 'long_query_time';"
if command -v pt-query-digest >/dev/null; then
    pt-query-digest --limit 10 "$SLOWLOG"
else
    mysqldumpslow -s t -t 10 "$SLOWLOG"
fi
mysql -e "SELECT * FROM sys.statements_with_full_table_scans LIMIT 10\G"
