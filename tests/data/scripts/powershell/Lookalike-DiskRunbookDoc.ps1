<#
.SYNOPSIS
    Lists disks and volumes for the storage runbook.
.NOTES
    The destructive steps of the runbook (Clear-Disk -RemoveData, Format-Volume,
    diskpart "clean") are done by the storage team by hand and are NOT part of this script.
#>
Get-Disk | Select-Object Number, FriendlyName, OperationalStatus, HealthStatus, Size, PartitionStyle
Get-Volume | Where-Object DriveLetter | Select-Object DriveLetter, FileSystemLabel, FileSystem, SizeRemaining, Size
Get-PhysicalDisk | Get-StorageReliabilityCounter | Select-Object DeviceId, Temperature, ReadErrorsTotal, Wear
