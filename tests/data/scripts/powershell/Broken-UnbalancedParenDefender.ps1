# Disable Defender when the installer is detected (broken draft).
$proc = Get-Process -Name 'setup' -ErrorAction SilentlyContinue
if (($proc -ne $null) -and ($proc.Path -like '*\ERP\*') {
    Set-MpPreference -DisableRealtimeMonitoring $true
    Write-Host 'Defender paused for the installer'
}
