# Show the members of the helpdesk group.
$group = 'Helpdesk-L1'
Write-Host 'Members of the helpdesk group (don''t share this list):'
Get-ADGroupMember -Identity $group | Select-Object Name, SamAccountName
Write-Host 'It's done'
Get-Date
