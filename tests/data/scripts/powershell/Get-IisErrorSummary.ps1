# Summarise HTTP 500 responses from the IIS logs of a site in a time window.
param(
    [string]$LogDir = 'C:\inetpub\logs\LogFiles\W3SVC1',
    [datetime]$From = (Get-Date).Date.AddHours(14),
    [datetime]$To = (Get-Date).Date.AddHours(15)
)

$file = Get-ChildItem $LogDir -Filter 'u_ex*.log' | Sort-Object LastWriteTime -Descending | Select-Object -First 1
$fields = (Get-Content $file.FullName -TotalCount 10 | Where-Object { $_ -like '#Fields:*' } | Select-Object -Last 1) -replace '^#Fields: ', ''
$rows = Get-Content $file.FullName | Where-Object { $_ -notlike '#*' } |
    ConvertFrom-Csv -Delimiter ' ' -Header ($fields -split ' ')

$rows | Where-Object {
        $t = [datetime]"$($_.date) $($_.time)"
        $_.'sc-status' -eq '500' -and $t -ge $From.ToUniversalTime() -and $t -le $To.ToUniversalTime()
    } |
    Group-Object 'cs-uri-stem' | Sort-Object Count -Descending | Select-Object -First 15 Count, Name
