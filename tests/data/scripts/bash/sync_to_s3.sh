#!/bin/bash
# Nightly sync of exports to the partner bucket.
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=eu-central-1

SRC=/srv/exports/partner
DEST=s3://partner-exchange-prod/incoming/$(date +%F)

aws s3 sync "$SRC" "$DEST" --only-show-errors
aws s3 ls "$DEST/" --summarize | tail -n 2
