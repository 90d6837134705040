# Audit: inbound allow rules that accept any remote address. Read-only.
Get-NetFirewallRule -Direction Inbound -Action Allow -Enabled True |
    ForEach-Object {
        $addr = $_ | Get-NetFirewallAddressFilter
        $port = $_ | Get-NetFirewallPortFilter
        if ($addr.RemoteAddress -contains 'Any') {
            [pscustomobject]@{ Rule = $_.DisplayName; Port = $port.LocalPort; Protocol = $port.Protocol; Remote = 'Any' }
        }
    } | Sort-Object Port | Format-Table -AutoSize
Get-NetFirewallProfile | Select-Object Name, Enabled, DefaultInboundAction
