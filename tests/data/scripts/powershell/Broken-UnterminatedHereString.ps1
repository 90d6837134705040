# Send the daily backup summary to the ops mailbox.
$jobs = Get-WBJob -Previous 5
$body = @"
Backup summary for $env:COMPUTERNAME
Jobs: $($jobs.Count)
Last result: $($jobs[0].HResult)

Send-MailMessage -To 'ops@contoso.com' -From 'backup@contoso.com' -Subject 'Backup summary' -Body $body -SmtpServer smtp01.corp.local
Write-Host 'sent'
