#!/bin/bash
# Show what a destroy of the old sandbox would remove, for review. Dry run only.
set -euo pipefail
cd infra/envs/sandbox-legacy
terraform init -input=false
terraform plan -destroy -input=false -out=destroy.tfplan
terraform show -no-color destroy.tfplan > destroy-plan.txt
echo "Plan written to destroy-plan.txt; nothing was applied."
