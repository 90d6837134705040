# State of the services the line-of-business app depends on, on several servers.
$servers = 'APP01', 'APP02', 'APP03'
$services = 'W3SVC', 'WAS', 'MSMQ', 'AppFabricCachingService', 'Spooler'

Invoke-Command -ComputerName $servers -ScriptBlock {
    param($names)
    Get-Service -Name $names -ErrorAction SilentlyContinue |
        Select-Object @{ n = 'Server'; e = { $env:COMPUTERNAME } }, Name, Status, StartType
} -ArgumentList (, $services) |
    Sort-Object Server, Name |
    Format-Table Server, Name, Status, StartType -AutoSize
