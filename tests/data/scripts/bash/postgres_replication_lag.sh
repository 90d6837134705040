#!/usr/bin/env bash
# Replication lag per standby, read-only, run on the primary as the postgres user.
PGHOST="${PGHOST:-/var/run/postgresql}"
psql -h "$PGHOST" -X -A -F ' | ' -c "
SELECT application_name, client_addr, state, sync_state,
       pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)) AS replay_lag_bytes,
       replay_lag
FROM pg_stat_replication ORDER BY application_name;"
psql -h "$PGHOST" -X -A -c "SELECT slot_name, active, pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)) FROM pg_replication_slots;"
