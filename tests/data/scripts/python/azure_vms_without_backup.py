#!/usr/bin/env python3
"""List Azure VMs that are not protected by any Recovery Services vault. Read-only."""
import os

from azure.identity import DefaultAzureCredential
from azure.mgmt.compute import ComputeManagementClient
from azure.mgmt.recoveryservicesbackup import RecoveryServicesBackupClient
from azure.mgmt.recoveryservices import RecoveryServicesClient

SUBSCRIPTION = os.environ["AZURE_SUBSCRIPTION_ID"]
cred = DefaultAzureCredential()
compute = ComputeManagementClient(cred, SUBSCRIPTION)
vaults = RecoveryServicesClient(cred, SUBSCRIPTION)
backup = RecoveryServicesBackupClient(cred, SUBSCRIPTION)

protected = set()
for vault in vaults.vaults.list_by_subscription_id():
    rg = vault.id.split("/")[4]
    items = backup.backup_protected_items.list(vault.name, rg, filter="backupManagementType eq 'AzureIaasVM'")
    for item in items:
        protected.add(item.properties.virtual_machine_id.lower())

for vm in compute.virtual_machines.list_all():
    if vm.id.lower() not in protected:
        print(f"{vm.name:30} {vm.location:15} {vm.id.split('/')[4]}")
