# Mailbox sizes and item counts for the Exchange database DB01, largest first.
param([string]$Database = 'DB01', [int]$Top = 50)

Get-Mailbox -Database $Database -ResultSize Unlimited |
    Get-MailboxStatistics |
    Select-Object DisplayName, ItemCount,
        @{ n = 'SizeMB'; e = { [math]::Round(($_.TotalItemSize.ToString().Split('(')[1].Split(' ')[0] -replace ',', '') / 1MB, 1) } },
        LastLogonTime |
    Sort-Object SizeMB -Descending |
    Select-Object -First $Top |
    Export-Csv "$env:TEMP\mailbox-sizes-$Database.csv" -NoTypeInformation

Get-MailboxDatabaseCopyStatus -Identity $Database | Select-Object Name, Status, CopyQueueLength, ContentIndexState
