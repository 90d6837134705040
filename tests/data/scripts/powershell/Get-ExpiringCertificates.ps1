# Certificates in LocalMachine\My that expire within N days (app-test-02 request).
param([int]$Days = 30)

$limit = (Get-Date).AddDays($Days)
Get-ChildItem -Path Cert:\LocalMachine\My |
    Where-Object { $_.NotAfter -le $limit } |
    Sort-Object NotAfter |
    Select-Object Subject, Issuer, Thumbprint, NotAfter,
        @{ Name = 'DaysLeft'; Expression = { [int]($_.NotAfter - (Get-Date)).TotalDays } },
        @{ Name = 'SAN'; Expression = { ($_.DnsNameList | ForEach-Object Unicode) -join ', ' } } |
    Format-Table -AutoSize

# Which IIS bindings use them
Import-Module WebAdministration -ErrorAction SilentlyContinue
Get-ChildItem IIS:\SslBindings -ErrorAction SilentlyContinue | Select-Object IPAddress, Port, Host, Thumbprint
