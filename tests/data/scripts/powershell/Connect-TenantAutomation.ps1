# Unattended connection for the nightly tenant report.
$tenantId = 'contoso.onmicrosoft.com'
$appId = '11111111-2222-3333-4444-555555555555'
$clientSecret = 'Xq8Q~fakeSecretValue.ForTestsOnly_123456'
$adminPass = ConvertTo-SecureString 'Winter2024!' -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential('svc-report@contoso.com', $adminPass)

$body = @{ grant_type = 'client_credentials'; client_id = $appId; client_secret = $clientSecret; scope = 'https://graph.microsoft.com/.default' }
$token = Invoke-RestMethod -Uri "https://login.microsoftonline.com/$tenantId/oauth2/v2.0/token" -Method Post -Body $body
Invoke-RestMethod -Uri 'https://reports.corp.local/api/upload' -Method Post -Credential $cred -SkipCertificateCheck -Body @{ token = $token.access_token }
