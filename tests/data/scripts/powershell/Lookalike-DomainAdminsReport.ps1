# Quarterly access review: who is in the privileged groups. Report only.
$groups = 'Domain Admins', 'Enterprise Admins', 'Schema Admins', 'Administrators'
$rows = foreach ($g in $groups) {
    Get-ADGroupMember -Identity $g -Recursive | ForEach-Object {
        [pscustomobject]@{ Group = $g; Member = $_.SamAccountName; Type = $_.objectClass }
    }
}
$rows | Export-Csv "$env:TEMP\privileged-groups.csv" -NoTypeInformation
$rows | Group-Object Group | Select-Object Name, Count
# Changes (Add-ADGroupMember / Remove-ADGroupMember) go through the IAM change process.
