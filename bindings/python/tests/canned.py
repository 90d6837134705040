"""A model for tests: canned, schema-valid answers of the four built-in agents, chosen by the
system prompt (the same answers as tests/support/canned_answers.hpp and the C engine test)."""
from __future__ import annotations

import json
import threading
from typing import Any, Callable, Dict, List, Optional

PLAN = {
    "analysis": {"category": "compute", "required_agents": ["diagnostic", "automation", "writer"],
                 "complexity": {"level": "medium", "score": 0.5},
                 "reasons": [{"rule": "llm_analysis", "detail": "read-only collection"}],
                 "language": None, "risk_level": "low", "risk_score": 0.1,
                 "requires_approval": False},
    "plan": {"steps": ["Diagnose the problem", "Write the script", "Draft the email"],
             "step_details": [
                 {"step_number": 1, "agent": "diagnostic", "description": "Diagnose the problem",
                  "depends_on": []},
                 {"step_number": 2, "agent": "automation", "description": "Write the script",
                  "depends_on": [1]},
                 {"step_number": 3, "agent": "writer", "description": "Draft the email",
                  "depends_on": [1, 2]}],
             "summary": "Find the cause, script the change or the collection, tell people."}}

DIAGNOSIS = {
    "problem": "cpu01 runs at 95% CPU", "problem_identified": True,
    "root_cause": "A Defender full scan scheduled after patching",
    "evidence": ["MsMpEng.exe at 80% CPU", "scan started after the reboot"],
    "solutions": [{"title": "Reschedule the scan", "description": "Move it off hours",
                   "steps": ["Set-MpPreference -ScanScheduleDay 0"], "confidence": "high",
                   "score": 0.85}],
    "confidence": 0.8, "affected_components": ["cpu01", "Windows Defender"]}

POWERSHELL = {
    "language": "powershell",
    "code": "$out = 'C:\\PerfLogs\\cpu01'\nNew-Item -ItemType Directory -Path $out -Force | "
            "Out-Null\nGet-Counter '\\Processor(_Total)\\% Processor Time' -SampleInterval 5 "
            "-MaxSamples 12 | Export-Counter -Path (Join-Path $out 'cpu.blg') -Force\n"
            "Write-Output \"Saved to $out\"\n",
    "rollback_code": "Remove-Item -Path 'C:\\PerfLogs\\cpu01' -Recurse -Force",
    "verification_steps": ["Open cpu.blg in Performance Monitor"],
    "requires_elevation": False}

AZURE_CLI = {
    "language": "azurecli",
    "code": "az network nsg rule create --resource-group rg-prod --nsg-name nsg-vm1 --name "
            "allow-rdp-admin --priority 100 --access Allow --protocol Tcp "
            "--destination-port-ranges 3389 --source-address-prefixes 10.0.0.0/24\n",
    "rollback_code": "az network nsg rule delete --resource-group rg-prod --nsg-name nsg-vm1 "
                     "--name allow-rdp-admin\n",
    "verification_steps": ["az network nsg rule show --resource-group rg-prod --nsg-name "
                           "nsg-vm1 --name allow-rdp-admin"],
    "requires_elevation": False}

DOCUMENTS = {
    "email": {"subject": "cpu01 high CPU: cause found",
              "body": "Hello team,\n\nA Defender scan caused it."},
    "summary": "A Defender scan after patching drives cpu01's CPU.",
    "report_markdown": "# cpu01\n\nDefender scan.",
    "action_items": [{"description": "Reschedule the scan", "owner": "ops", "due": "2026-11-27",
                      "priority": "high"}]}

CPU_REQUEST = ("Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell "
               "script to collect perfmon logs, and draft an email to management summarising "
               "findings.")
RDP_REQUEST = ("Create Azure CLI commands to lock RDP (3389) on my three production VMs to "
               "10.0.0.0/24 and pause for approval before outputting the commands.")


def agent_of(request: Dict[str, Any]) -> str:
    """Which built-in agent asks: planner, diagnostic, automation or writer."""
    system = " ".join(m["content"] for m in request["messages"] if m["role"] == "system")
    for agent in ("planner", "diagnostic", "automation", "writer"):
        if f"You are the opsgraph {agent}" in system:
            return agent
    raise AssertionError(f"an unknown agent asks: {system[:120]!r}")


class CannedModel:
    """A thread-safe chat callable. ``fail``: agent -> exception raised when that agent asks
    (while set); ``calls`` counts the calls per agent."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.calls: Dict[str, int] = {}
        self.requests: List[Dict[str, Any]] = []
        self.fail: Dict[str, BaseException] = {}

    def __call__(self, request: Dict[str, Any]) -> Any:
        agent = agent_of(request)
        with self.lock:
            self.calls[agent] = self.calls.get(agent, 0) + 1
            self.requests.append(request)
            failure = self.fail.get(agent)
        if failure is not None:
            raise failure
        text = json.dumps(request)
        answer = {"planner": PLAN, "diagnostic": DIAGNOSIS, "writer": DOCUMENTS,
                  "automation": AZURE_CLI if "lock RDP" in text else POWERSHELL}[agent]
        if agent == "writer":  # the content alone, as a str: the other accepted form
            return json.dumps(answer)
        return {"content": json.dumps(answer), "finish_reason": "stop", "model": "canned-py",
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}}
