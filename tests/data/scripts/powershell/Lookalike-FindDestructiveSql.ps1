# Review gate: list SQL migration files with destructive statements before the release.
param([string]$Path = '.\db\migrations')

$patterns = 'DROP TABLE', 'DROP DATABASE', 'TRUNCATE TABLE', 'DELETE FROM \w+\s*;'
$hits = Get-ChildItem -Path $Path -Filter '*.sql' -Recurse |
    Select-String -Pattern $patterns
if ($hits) {
    $hits | Format-Table Filename, LineNumber, Line -AutoSize
    Write-Error "$($hits.Count) destructive statements need a DBA sign-off"
} else {
    Write-Output 'no destructive statements found'
}
