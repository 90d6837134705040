# Weekly patch compliance: last hotfix date per server and days since.
$servers = Get-ADComputer -Filter { OperatingSystem -like '*Server*' -and Enabled -eq $true } -SearchBase 'OU=Servers,DC=corp,DC=local' |
    Select-Object -ExpandProperty Name

$report = foreach ($s in $servers) {
    $last = Get-HotFix -ComputerName $s -ErrorAction SilentlyContinue | Sort-Object InstalledOn -Descending | Select-Object -First 1
    [pscustomobject]@{
        Server     = $s
        LastKB     = $last.HotFixID
        InstalledOn = $last.InstalledOn
        DaysSince  = if ($last.InstalledOn) { ((Get-Date) - $last.InstalledOn).Days } else { $null }
    }
}
$report | Sort-Object DaysSince -Descending | ConvertTo-Html -Title 'Patch compliance' | Out-File "$env:TEMP\patch-compliance.html"
$report | Where-Object { $_.DaysSince -gt 35 } | Format-Table -AutoSize
