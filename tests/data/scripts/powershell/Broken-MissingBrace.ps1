# Report services set to Automatic that are not running.
function Get-StoppedAutoServices {
    param([string]$ComputerName = $env:COMPUTERNAME)
    Get-CimInstance Win32_Service -ComputerName $ComputerName -Filter "StartMode='Auto'" |
        Where-Object { $_.State -ne 'Running' } |
        Select-Object Name, State, ExitCode

Get-StoppedAutoServices -ComputerName APP01
Get-StoppedAutoServices -ComputerName APP02
