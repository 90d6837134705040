# Replication health of the production domain controllers. Read-only.
$dcs = 'dc01.corp.local', 'dc02.corp.local', 'dc03.corp.local'

repadmin /replsummary
foreach ($dc in $dcs) {
    Write-Host "=== $dc ===" -ForegroundColor Cyan
    Get-ADReplicationPartnerMetadata -Target $dc -ErrorAction Continue |
        Select-Object Partner, LastReplicationSuccess, LastReplicationResult, ConsecutiveReplicationFailures
    Get-ADReplicationFailure -Target $dc -ErrorAction SilentlyContinue |
        Select-Object FirstFailureTime, FailureCount, LastError, Partner
}
dcdiag /s:dc01.corp.local /test:replications /q
