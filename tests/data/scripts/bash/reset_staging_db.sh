#!/usr/bin/env bash
# Reset the shop database from last night's dump.
DB_HOST=db-stg-01.corp.local
DB_USER=root
DB_PASS='Sup3rS3cret!2024'
DUMP=/backups/shop/latest.sql.gz

mysql -h "$DB_HOST" -u "$DB_USER" -p"$DB_PASS" -e "DROP DATABASE IF EXISTS shop; CREATE DATABASE shop;"
gunzip -c "$DUMP" | mysql -h "$DB_HOST" -u "$DB_USER" -p"$DB_PASS" shop
mysql -h "$DB_HOST" -u "$DB_USER" -p"$DB_PASS" shop -e "DELETE FROM audit_events; TRUNCATE TABLE sessions;"
echo "shop restored on $DB_HOST"
