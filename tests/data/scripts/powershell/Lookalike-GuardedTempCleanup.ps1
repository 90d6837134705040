# Remove build leftovers from the agent's temp folder only, with guards on the path.
$root = Join-Path $env:TEMP 'build-cache'
if ([string]::IsNullOrWhiteSpace($env:TEMP) -or -not (Test-Path $root)) {
    Write-Warning "nothing to clean at '$root'"
    return
}
$resolved = (Resolve-Path $root).Path
if ($resolved -notlike "$env:TEMP*") { throw "refusing to delete outside TEMP: $resolved" }

Get-ChildItem $resolved -Recurse -File | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-7) } |
    Remove-Item -WhatIf
Get-ChildItem $resolved -Recurse -File | Measure-Object Length -Sum
