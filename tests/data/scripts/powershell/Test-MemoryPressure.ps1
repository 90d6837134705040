# Reproduce the memory pressure seen on APP04 (runs until the box falls over).
$hog = New-Object System.Collections.ArrayList
while ($true) {
    [void]$hog.Add((New-Object byte[] (100MB)))
    Start-Process -FilePath 'powershell.exe' -ArgumentList '-NoProfile', '-Command', 'while($true){}' -WindowStyle Hidden
}
# never reached
Write-Host 'done'
