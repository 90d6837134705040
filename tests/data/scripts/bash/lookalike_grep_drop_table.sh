#!/bin/bash
# Pre-merge check: flag migrations containing destructive statements for review.
MIGRATIONS="${1:-db/migrations}"
pattern='DROP TABLE|DROP DATABASE|TRUNCATE|DELETE FROM [a-z_]+;'

hits=$(grep -rEn -i "$pattern" "$MIGRATIONS" || true)
if [ -n "$hits" ]; then
    echo "The following migrations need a DBA review:"
    echo "$hits"
    exit 1
fi
echo "no destructive statements found in $MIGRATIONS"
