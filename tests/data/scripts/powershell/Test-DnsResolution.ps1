# Resolve a name against every DNS server of the domain and compare the answers.
param([string]$Name = 'intranet.corp.local')

$servers = (Get-DnsClientServerAddress -AddressFamily IPv4 | Select-Object -ExpandProperty ServerAddresses) + @('10.1.0.10', '10.1.0.11') |
    Sort-Object -Unique

foreach ($s in $servers) {
    try {
        $r = Resolve-DnsName -Name $Name -Server $s -Type A -DnsOnly -ErrorAction Stop
        '{0,-15} {1}' -f $s, (($r | Where-Object Type -eq 'A' | ForEach-Object IPAddress) -join ', ')
    } catch {
        '{0,-15} ERROR {1}' -f $s, $_.Exception.Message
    }
}
Get-DnsClientCache | Where-Object Entry -like "$Name*"
