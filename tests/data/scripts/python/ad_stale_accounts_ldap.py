#!/usr/bin/env python3
"""Enabled AD accounts without a logon for 90 days (LDAPS, credentials from the environment)."""
import os
from datetime import datetime, timedelta, timezone

from ldap3 import ALL, Connection, Server

server = Server("ldaps://dc01.corp.local", get_info=ALL, use_ssl=True)
conn = Connection(server, user=os.environ["LDAP_BIND_USER"], password=os.environ["LDAP_BIND_PASSWORD"], auto_bind=True)

cutoff = datetime.now(timezone.utc) - timedelta(days=90)
filetime = int((cutoff - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10**7)
flt = f"(&(objectCategory=person)(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2))(lastLogonTimestamp<={filetime}))"
conn.search("OU=Sales,DC=corp,DC=local", flt, attributes=["sAMAccountName", "lastLogonTimestamp", "manager"])
for e in conn.entries:
    print(e.sAMAccountName, e.lastLogonTimestamp, e.manager)
print(f"{len(conn.entries)} stale accounts")
conn.unbind()
