# Restart IIS on the local developer VM only, after checking that this is a dev machine.
if ($env:COMPUTERNAME -notlike 'DEV-*') {
    Write-Warning "This helper only runs on DEV-* machines; $env:COMPUTERNAME is not one."
    return
}
Import-Module WebAdministration
Get-Website | Select-Object Name, State, PhysicalPath

Write-Host 'Recycling application pools first...'
Get-ChildItem IIS:\AppPools | Where-Object { $_.State -eq 'Started' } | ForEach-Object { Restart-WebAppPool -Name $_.Name }
iisreset /restart /timeout:60
Get-Service W3SVC, WAS | Select-Object Name, Status
