#!/usr/bin/env python3
"""Reset the asset inventory database before the full re-import."""
import pymysql

conn = pymysql.connect(host="db-prod-03.corp.local", user="inventory_admin",
                       password="Inv3ntory!Prod#2024", database="inventory")
with conn.cursor() as cur:
    cur.execute("DROP TABLE IF EXISTS assets_history")
    cur.execute("TRUNCATE TABLE assets")
    cur.execute("DELETE FROM locations")
    cur.execute("DROP DATABASE inventory_archive")
conn.commit()
conn.close()
print("inventory reset")
