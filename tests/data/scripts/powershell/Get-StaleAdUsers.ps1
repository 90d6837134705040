# Users in the Sales OU without a logon in 90 days. Report only, no changes.
Import-Module ActiveDirectory
$searchBase = 'OU=Sales,DC=corp,DC=local'
$cutoff = (Get-Date).AddDays(-90)

Get-ADUser -SearchBase $searchBase -Filter { Enabled -eq $true } -Properties LastLogonDate, Manager, Title |
    Where-Object { -not $_.LastLogonDate -or $_.LastLogonDate -lt $cutoff } |
    Select-Object SamAccountName, Name, Title, LastLogonDate,
        @{ n = 'Manager'; e = { (Get-ADUser $_.Manager -ErrorAction SilentlyContinue).Name } } |
    Sort-Object LastLogonDate |
    Export-Csv -Path "$env:USERPROFILE\Desktop\stale-sales-users.csv" -NoTypeInformation -Encoding UTF8

Write-Output "Report written to $env:USERPROFILE\Desktop\stale-sales-users.csv"
