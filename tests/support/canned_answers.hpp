#pragma once
// Canned, schema-valid answers of the four built-in agents for the CPU-diagnosis and the Azure CLI
// requests: what the engine tests script the mock LLM with and what the engine benchmarks answer
// from memory. JSON text; parse it where it is used.

#include <string_view>

namespace opsgraph::testing::canned {

/// The planner: compute, three agents, low risk, no approval.
inline constexpr std::string_view kPlan = R"({
    "analysis": {"category": "compute", "required_agents": ["diagnostic", "automation", "writer"],
                 "complexity": {"level": "medium", "score": 0.5},
                 "reasons": [{"rule": "llm_analysis", "detail": "read-only collection"}],
                 "language": null, "risk_level": "low", "risk_score": 0.1,
                 "requires_approval": false},
    "plan": {"steps": ["Diagnose the problem", "Write the script", "Draft the email"],
             "step_details": [
               {"step_number": 1, "agent": "diagnostic", "description": "Diagnose the problem", "depends_on": []},
               {"step_number": 2, "agent": "automation", "description": "Write the script", "depends_on": [1]},
               {"step_number": 3, "agent": "writer", "description": "Draft the email", "depends_on": [1, 2]}],
             "summary": "Find the cause, script the change or the collection, tell people."}})";

/// The diagnostic agent: a problem found with confidence 0.8.
inline constexpr std::string_view kDiagnosis = R"({
    "problem": "cpu01 runs at 95% CPU", "problem_identified": true,
    "root_cause": "A Defender full scan scheduled after patching",
    "evidence": ["MsMpEng.exe at 80% CPU", "scan started after the reboot"],
    "solutions": [{"title": "Reschedule the scan", "description": "Move it off hours",
                   "steps": ["Set-MpPreference -ScanScheduleDay 0"], "confidence": "high",
                   "score": 0.85}],
    "confidence": 0.8, "affected_components": ["cpu01", "Windows Defender"]})";

/// The automation agent: a read-only PowerShell collector with a rollback.
inline constexpr std::string_view kPowerShellScript = R"({
    "language": "powershell",
    "code": "$out = 'C:\\PerfLogs\\cpu01'\nNew-Item -ItemType Directory -Path $out -Force | Out-Null\nGet-Counter '\\Processor(_Total)\\% Processor Time' -SampleInterval 5 -MaxSamples 12 | Export-Counter -Path (Join-Path $out 'cpu.blg') -Force\nWrite-Output \"Saved to $out\"\n",
    "rollback_code": "Remove-Item -Path 'C:\\PerfLogs\\cpu01' -Recurse -Force",
    "verification_steps": ["Open cpu.blg in Performance Monitor"],
    "requires_elevation": false})";

/// The automation agent for Azure CLI requests: an NSG rule and its removal.
inline constexpr std::string_view kAzureCliScript = R"({
    "language": "azurecli",
    "code": "az network nsg rule create --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin --priority 100 --access Allow --protocol Tcp --destination-port-ranges 3389 --source-address-prefixes 10.0.0.0/24\n",
    "rollback_code": "az network nsg rule delete --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin\n",
    "verification_steps": ["az network nsg rule show --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin"],
    "requires_elevation": false})";

/// The writer.
inline constexpr std::string_view kDocuments = R"({
    "email": {"subject": "cpu01 high CPU: cause found", "body": "Hello team,\n\nA Defender scan caused it."},
    "summary": "A Defender scan after patching drives cpu01's CPU.",
    "report_markdown": "# cpu01\n\nDefender scan.",
    "action_items": [{"description": "Reschedule the scan", "owner": "ops", "due": "2026-11-27",
                      "priority": "high"}]})";

}  // namespace opsgraph::testing::canned
