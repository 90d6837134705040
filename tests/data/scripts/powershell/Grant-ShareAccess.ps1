# Users in the new branch cannot open the project share; grant access.
$path = 'D:\Shares\Projects'

icacls $path /grant 'Everyone:(OI)(CI)F' /T
icacls 'D:\Shares' /grant Everyone:F
Grant-SmbShareAccess -Name 'Projects' -AccountName 'Everyone' -AccessRight Full -Force

$acl = Get-Acl $path
$acl.Access | Format-Table IdentityReference, FileSystemRights, IsInherited
