#!/bin/bash
# Print a summary of the apache vhosts on web03.
for conf in /etc/apache2/sites-enabled/*.conf; do
    name=$(grep -m1 ServerName "$conf" | awk '{print $2}')
    echo "vhost: $name (file $conf)
done
apachectl -S 2>&1 | head -n 20
