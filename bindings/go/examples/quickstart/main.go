// Quickstart: an engine on an in-memory store whose model is a Go function, one risky request
// held for approval, approved with the plan's hash, and followed to its finished record.
package main

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"opsgraph.dev/opsgraph"
)

// model answers each agent with a fixed, schema-valid answer; a real one would call an LLM.
func model(ctx context.Context, request opsgraph.ChatRequest) (opsgraph.ChatResponse, error) {
	system := request.Messages[0].Content
	switch {
	case strings.Contains(system, "opsgraph planner"):
		return opsgraph.ChatResponse{Content: plan}, nil
	case strings.Contains(system, "opsgraph diagnostic agent"):
		return opsgraph.ChatResponse{Content: diagnosis}, nil
	case strings.Contains(system, "opsgraph automation agent"):
		return opsgraph.ChatResponse{Content: script}, nil
	}
	return opsgraph.ChatResponse{Content: documents}, nil
}

func main() {
	engine, err := opsgraph.NewEngine(opsgraph.Options{
		Config:            `{"store": {"kind": "memory"}}`,
		Provider:          opsgraph.ProviderFunc(model),
		IgnoreEnvironment: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer engine.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	task, err := engine.Execute(ctx, opsgraph.Request{
		Request: "Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("task %s: %s, risk %s\n", task.ID, task.Status, task.Risk.Level)

	task, err = engine.Wait(ctx, task.ID, opsgraph.WaitSettled)
	if err != nil {
		log.Fatal(err)
	}
	if task.Status == opsgraph.TaskWaitingApproval {
		fmt.Printf("waiting at %s for plan %s:\n  %s\n", task.Stage, task.Plan.Hash,
			strings.Join(task.Plan.Steps, "\n  "))
		_, err = engine.Approve(ctx, task.ID, opsgraph.Approval{Actor: "alice", Hash: task.Plan.Hash})
		if err != nil {
			log.Fatal(err)
		}
	}

	task, err = engine.Wait(ctx, task.ID, opsgraph.WaitFinal)
	if err != nil {
		log.Fatal(err)
	}
	if task.Status != opsgraph.TaskCompleted {
		log.Fatalf("task ended %s: %+v", task.Status, task.Error)
	}
	fmt.Printf("%s\n%s script (lint passed: %v):\n%s\n%s\n", task.Status, task.Script.Language,
		task.Script.LintPassed, task.Script.Code, task.EmailDraft)
}

const (
	plan = `{"analysis": {"category": "network", "required_agents": ["diagnostic", "automation", "writer"],
  "complexity": {"level": "medium", "score": 0.5}, "reasons": [{"rule": "nsg_change", "detail": "changes production network rules"}],
  "language": "azurecli", "risk_level": "high", "risk_score": 0.8, "requires_approval": true},
 "plan": {"steps": ["Review the current NSG rules", "Write the Azure CLI commands", "Draft the email"],
  "step_details": [{"step_number": 1, "agent": "diagnostic", "description": "Review the current NSG rules", "depends_on": []},
   {"step_number": 2, "agent": "automation", "description": "Write the Azure CLI commands", "depends_on": [1]},
   {"step_number": 3, "agent": "writer", "description": "Draft the email", "depends_on": [1, 2]}],
  "summary": "Restrict RDP on the three production VMs to 10.0.0.0/24; nothing changes before approval."}}`
	diagnosis = `{"problem": "RDP is open to the internet on three production VMs", "problem_identified": true,
 "root_cause": "An NSG rule allows 3389 from any source", "evidence": ["allow-rdp-any, priority 300"],
 "solutions": [{"title": "Restrict the source", "description": "Allow 3389 from 10.0.0.0/24 only",
  "steps": ["Add an allow rule for 10.0.0.0/24", "Remove allow-rdp-any"], "confidence": "high", "score": 0.9}],
 "confidence": 0.85, "affected_components": ["nsg-vm1"]}`
	script = `{"language": "azurecli", "code": "az network nsg rule create --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin --priority 100 --access Allow --protocol Tcp --destination-port-ranges 3389 --source-address-prefixes 10.0.0.0/24\n",
 "rollback_code": "az network nsg rule delete --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin\n",
 "verification_steps": ["az network nsg rule show --resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin"],
 "requires_elevation": false}`
	documents = `{"email": {"subject": "RDP restricted on production VMs", "body": "Hello team,\n\nRDP now accepts 10.0.0.0/24 only."},
 "summary": "RDP on the production VMs is limited to the admin network.", "report_markdown": "# RDP\n\nRestricted.",
 "action_items": [{"description": "Remove the old rule", "owner": "ops", "due": "2026-11-27", "priority": "high"}]}`
)
