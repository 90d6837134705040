# Show what the patch window would restart, without restarting anything.
$targets = 'APP01', 'APP02', 'WEB01'
foreach ($t in $targets) {
    $pending = Invoke-Command -ComputerName $t -ScriptBlock { Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired' }
    Write-Output "$t reboot pending: $pending"
}
Restart-Computer -ComputerName $targets -WhatIf
Stop-Service -Name W3SVC -WhatIf
