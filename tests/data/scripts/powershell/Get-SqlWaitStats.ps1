# Top wait types on a SQL Server instance (integrated security, read-only DMV query).
param([string]$Instance = 'sql-dev-01')

$query = @"
SELECT TOP 15 wait_type, waiting_tasks_count,
       wait_time_ms / 1000.0 AS wait_s,
       100.0 * wait_time_ms / SUM(wait_time_ms) OVER () AS pct
FROM sys.dm_os_wait_stats
WHERE wait_type NOT LIKE 'SLEEP%' AND wait_type NOT IN ('BROKER_TASK_STOP', 'XE_TIMER_EVENT', 'CLR_AUTO_EVENT')
ORDER BY wait_time_ms DESC;
"@

Invoke-Sqlcmd -ServerInstance $Instance -Database master -Query $query -TrustServerCertificate:$false |
    Format-Table -AutoSize
Invoke-Sqlcmd -ServerInstance $Instance -Query 'SELECT session_id, status, wait_type, blocking_session_id, cpu_time FROM sys.dm_exec_requests WHERE session_id > 50' |
    Format-Table -AutoSize
