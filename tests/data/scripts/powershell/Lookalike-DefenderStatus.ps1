# Defender health check for the security dashboard. Read-only.
$status = Get-MpComputerStatus
$status | Select-Object AMServiceEnabled, RealTimeProtectionEnabled, AntivirusSignatureLastUpdated, QuickScanAge

if (-not $status.RealTimeProtectionEnabled) {
    Write-Warning "Real-time protection is OFF on $env:COMPUTERNAME - raise a security incident."
}
Write-Host "Set-MpPreference -DisableRealtimeMonitoring is forbidden by policy SEC-014; never use it to get an installer through."
Get-MpPreference | Select-Object ExclusionPath, ExclusionProcess
