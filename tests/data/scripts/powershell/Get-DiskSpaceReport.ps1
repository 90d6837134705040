# Free space per volume on a list of file servers, flagged below a threshold.
param(
    [string[]]$ComputerName = @('FS01', 'FS02', 'FS03'),
    [int]$WarnPercent = 15
)

$results = foreach ($c in $ComputerName) {
    Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=3' -ComputerName $c -ErrorAction Continue |
        ForEach-Object {
            $freePct = [math]::Round(($_.FreeSpace / $_.Size) * 100, 1)
            [pscustomobject]@{
                Computer = $c
                Drive    = $_.DeviceID
                SizeGB   = [math]::Round($_.Size / 1GB, 1)
                FreeGB   = [math]::Round($_.FreeSpace / 1GB, 1)
                FreePct  = $freePct
                Status   = if ($freePct -lt $WarnPercent) { 'WARN' } else { 'OK' }
            }
        }
}
$results | Sort-Object FreePct | Format-Table -AutoSize
$results | Where-Object Status -eq 'WARN' | Export-Csv "$env:TEMP\disk-warnings.csv" -NoTypeInformation
