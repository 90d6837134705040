# Bootstrap developer tooling on new build servers.
[System.Net.ServicePointManager]::ServerCertificateValidationCallback = { $true }
[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12

# package manager bootstrap as documented by the vendor
iex ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))
Invoke-Expression (Invoke-WebRequest -Uri 'https://tools.corp.local/bootstrap.ps1' -UseBasicParsing).Content

choco install -y git 7zip dotnet-sdk
Write-Host 'tooling installed'
