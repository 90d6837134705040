# Errors and warnings of the last 24 hours in System and Application, grouped by source.
param([int]$Hours = 24)
$since = (Get-Date).AddHours(-$Hours)

foreach ($log in 'System', 'Application') {
    Write-Output "== $log =="
    Get-WinEvent -FilterHashtable @{ LogName = $log; Level = 2, 3; StartTime = $since } -ErrorAction SilentlyContinue |
        Group-Object ProviderName |
        Sort-Object Count -Descending |
        Select-Object -First 10 Count, Name |
        Format-Table -AutoSize
}
Get-WinEvent -FilterHashtable @{ LogName = 'System'; Id = 41, 1074, 6008; StartTime = $since } -ErrorAction SilentlyContinue |
    Select-Object TimeCreated, Id, Message
