# Report whether servers have a reboot pending after patching. Does not reboot anything.
param([string[]]$ComputerName = @($env:COMPUTERNAME))

Invoke-Command -ComputerName $ComputerName -ScriptBlock {
    $cbs = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending'
    $wu  = Test-Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired'
    $pfr = $null -ne (Get-ItemProperty 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue)
    [pscustomobject]@{
        Computer      = $env:COMPUTERNAME
        CBS           = $cbs
        WindowsUpdate = $wu
        FileRename    = $pfr
        LastBoot      = (Get-CimInstance Win32_OperatingSystem).LastBootUpTime
    }
} | Format-Table -AutoSize
