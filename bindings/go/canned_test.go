package opsgraph_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"opsgraph.dev/opsgraph"
)

// Canned, schema-valid answers of the four built-in agents, as capi/tests/capi_engine_test.c
// (and tests/support/canned_answers.hpp) give them.
const (
	planAnswer = `{"analysis": {"category": "compute", "required_agents": ["diagnostic", "automation", "writer"], "complexity": {"level": "medium", "score": 0.5}, "reasons": [{"rule": "llm_analysis", "detail": "read-only collection"}], "language": null, "risk_level": "low", "risk_score": 0.1, "requires_approval": false}, "plan": {"steps": ["Diagnose the problem", "Write the script", "Draft the email"], "step_details": [{"step_number": 1, "agent": "diagnostic", "description": "Diagnose the problem", "depends_on": []}, {"step_number": 2, "agent": "automation", "description": "Write the script", "depends_on": [1]}, {"step_number": 3, "agent": "writer", "description": "Draft the email", "depends_on": [1, 2]}], "summary": "Find the cause, script the change or the collection, tell people."}}`

	diagnosisAnswer = `{"problem": "cpu01 runs at 95% CPU", "problem_identified": true, "root_cause": "A Defender full scan scheduled after patching", "evidence": ["MsMpEng.exe at 80% CPU"], "solutions": [{"title": "Reschedule the scan", "description": "Move it off hours", "steps": ["Set-MpPreference -ScanScheduleDay 0"], "confidence": "high", "score": 0.85}], "confidence": 0.8, "affected_components": ["cpu01"]}`

	powerShellAnswer = `{"language": "powershell", "code": "$out = 'C:/PerfLogs/cpu01'\nNew-Item -ItemType Directory -Path $out -Force | Out-Null\nGet-Process | Sort-Object CPU -Descending | Select-Object -First 10 | Export-Csv -Path (Join-Path $out 'top.csv')\nWrite-Output \"Saved to $out\"\n", "rollback_code": "Remove-Item -Path 'C:/PerfLogs/cpu01' -Recurse -Force", "verification_steps": ["Open top.csv"], "requires_elevation": false}`

	azureCLIAnswer = `{"language": "azurecli", "code": "az network nsg rule create --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin --priority 100 --access Allow --protocol Tcp --destination-port-ranges 3389 --source-address-prefixes 10.0.0.0/24\n", "rollback_code": "az network nsg rule delete --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin\n", "verification_steps": ["az network nsg rule show --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin"], "requires_elevation": false}`

	documentsAnswer = `{"email": {"subject": "cpu01 high CPU: cause found", "body": "Hello team,\n\nA Defender scan caused it."}, "summary": "A Defender scan after patching drives cpu01's CPU.", "report_markdown": "# cpu01\n\nDefender scan.", "action_items": [{"description": "Reschedule the scan", "owner": "ops", "due": "2026-11-27", "priority": "high"}]}`

	cpuRequest = "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell " +
		"script to collect perfmon logs, and draft an email to management summarising findings."
	rdpRequest = "Create Azure CLI commands to lock RDP (3389) on my three production VMs to " +
		"10.0.0.0/24 and pause for approval before outputting the commands."
)

// cannedModel is a Provider answering each agent with its canned answer. fail, while set, makes
// every call fail with that error; block makes calls wait until their ctx ends.
type cannedModel struct {
	calls    atomic.Int64
	mu       sync.Mutex
	fail     error
	block    bool
	requests []opsgraph.ChatRequest
}

func (m *cannedModel) Chat(ctx context.Context, request opsgraph.ChatRequest) (opsgraph.ChatResponse, error) {
	m.calls.Add(1)
	m.mu.Lock()
	fail, block := m.fail, m.block
	m.requests = append(m.requests, request)
	m.mu.Unlock()
	if fail != nil {
		return opsgraph.ChatResponse{}, fail
	}
	if block {
		<-ctx.Done()
		return opsgraph.ChatResponse{}, ctx.Err()
	}
	system, user := "", ""
	for _, message := range request.Messages {
		switch message.Role {
		case "system":
			system += message.Content
		case "user":
			user += message.Content
		}
	}
	answer := documentsAnswer
	switch {
	case strings.Contains(system, "You are the opsgraph planner"):
		answer = planAnswer
	case strings.Contains(system, "You are the opsgraph diagnostic agent"):
		answer = diagnosisAnswer
	case strings.Contains(system, "You are the opsgraph automation agent"):
		answer = powerShellAnswer
		if strings.Contains(user, "lock RDP") {
			answer = azureCLIAnswer
		}
	}
	return opsgraph.ChatResponse{Content: answer, FinishReason: "stop", Model: "canned-go",
		Usage: &opsgraph.Usage{PromptTokens: 100, CompletionTokens: 50, TotalTokens: 150}}, nil
}

func (m *cannedModel) setFail(err error) {
	m.mu.Lock()
	m.fail = err
	m.mu.Unlock()
}

func (m *cannedModel) setBlock(block bool) {
	m.mu.Lock()
	m.block = block
	m.mu.Unlock()
}
