<#
.SYNOPSIS
    Collects CPU diagnostics on APP01 after patching: top processes, perf counters,
    recent updates and related event log entries. Read-only.
#>
[CmdletBinding()]
param(
    [string]$OutputRoot = "$env:TEMP\cpu-diag",
    [int]$Samples = 12
)

$stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
$out = Join-Path $OutputRoot "$($env:COMPUTERNAME)-$stamp"
New-Item -ItemType Directory -Path $out -Force | Out-Null

Get-Process | Sort-Object CPU -Descending | Select-Object -First 25 Id, ProcessName, CPU, WS, StartTime |
    Export-Csv (Join-Path $out 'top-processes.csv') -NoTypeInformation

$counters = '\Processor(_Total)\% Processor Time', '\System\Processor Queue Length', '\Process(*)\% Processor Time'
Get-Counter -Counter $counters -SampleInterval 5 -MaxSamples $Samples |
    Export-Counter -Path (Join-Path $out 'counters.blg') -FileFormat BLG

Get-HotFix | Sort-Object InstalledOn -Descending | Select-Object -First 15 |
    Export-Csv (Join-Path $out 'hotfixes.csv') -NoTypeInformation

Get-WinEvent -FilterHashtable @{ LogName = 'System'; Level = 1, 2, 3; StartTime = (Get-Date).AddDays(-2) } -ErrorAction SilentlyContinue |
    Select-Object TimeCreated, ProviderName, Id, Message |
    Export-Csv (Join-Path $out 'system-events.csv') -NoTypeInformation

Get-CimInstance Win32_Service | Where-Object { $_.State -eq 'Running' } |
    Select-Object Name, ProcessId, StartName, PathName |
    Export-Csv (Join-Path $out 'services.csv') -NoTypeInformation

Compress-Archive -Path "$out\*" -DestinationPath "$out.zip" -Force
Write-Host "Diagnostics collected: $out.zip"
