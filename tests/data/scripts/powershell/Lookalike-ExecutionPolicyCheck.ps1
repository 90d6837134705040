# Compliance check of the PowerShell execution policy on member servers.
$expected = 'RemoteSigned', 'AllSigned'
$policies = Get-ExecutionPolicy -List
$policies | Format-Table Scope, ExecutionPolicy
$effective = Get-ExecutionPolicy
if ($effective -notin $expected) {
    Write-Warning "Effective policy is $effective; Bypass or Unrestricted violate baseline CIS 18.9.100."
}
