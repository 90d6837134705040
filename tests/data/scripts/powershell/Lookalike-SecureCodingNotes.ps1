# Writes the secure scripting checklist to the team wiki export folder.
$checklist = @'
Secure scripting checklist
- Never download and run code in one step: iex (iwr https://...) is forbidden.
- Never disable certificate checks ([Net.ServicePointManager]::ServerCertificateValidationCallback = {$true}).
- No passwords in scripts: no ConvertTo-SecureString 'secret' -AsPlainText.
- Use -WhatIf first for Remove-Item -Recurse.
'@
$target = Join-Path $env:TEMP 'wiki-export'
New-Item -ItemType Directory -Path $target -Force | Out-Null
Set-Content -Path (Join-Path $target 'secure-scripting.md') -Value $checklist -Encoding UTF8
