#!/usr/bin/env python3
"""Top statements by total time from pg_stat_statements (read-only; DSN from PGSERVICE)."""
import os

import psycopg2

conn = psycopg2.connect(service=os.environ.get("PGSERVICE", "reporting-ro"))
conn.set_session(readonly=True)
with conn, conn.cursor() as cur:
    cur.execute(
        """
        SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
               round(mean_exec_time::numeric, 2) AS mean_ms, left(query, 120)
        FROM pg_stat_statements
        ORDER BY total_exec_time DESC
        LIMIT %s
        """,
        (15,),
    )
    for calls, total, mean, query in cur.fetchall():
        print(f"{calls:10} {total:12} ms {mean:10} ms  {query}")
conn.close()
