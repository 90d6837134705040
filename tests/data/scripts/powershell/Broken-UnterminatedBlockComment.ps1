<#
.SYNOPSIS
    Lists IIS application pools and their identities.
.EXAMPLE
    .\Get-AppPools.ps1
Import-Module WebAdministration
Get-ChildItem IIS:\AppPools | Select-Object Name, State, @{ n = 'Identity'; e = { $_.processModel.userName } }
