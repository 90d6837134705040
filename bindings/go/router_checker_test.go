package opsgraph_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"opsgraph.dev/opsgraph"
)

func TestVersion(t *testing.T) {
	if opsgraph.Version() == "" || opsgraph.ABIVersion != 1 {
		t.Errorf("version %q, ABI %d", opsgraph.Version(), opsgraph.ABIVersion)
	}
	if opsgraph.StatusConflict.String() != "conflict" || opsgraph.Status(999).String() != "unknown" {
		t.Errorf("status names: %s, %s", opsgraph.StatusConflict, opsgraph.Status(999))
	}
}

func TestRoute(t *testing.T) {
	decision, err := opsgraph.Route("Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24")
	if err != nil {
		t.Fatalf("Route: %v", err)
	}
	if decision.Risk.Level != "high" || !decision.Route.RequiresApproval || !decision.Floor.RequiresApproval ||
		decision.TaskType != "critical" || decision.Language != "azurecli" || len(decision.Raw) == 0 {
		t.Errorf("decision: %+v", decision)
	}

	router, err := opsgraph.NewRouter(opsgraph.RouterOptions{MaxRequestBytes: 64})
	if err != nil {
		t.Fatalf("NewRouter: %v", err)
	}
	defer router.Close()
	decision, err = router.Route("Restart IIS on WEB01", &opsgraph.RouteHints{Language: "powershell"})
	if err != nil || decision.Language != "powershell" {
		t.Errorf("Route with hints: %+v, %v", decision, err)
	}
	_, err = router.Route(strings.Repeat("restart IIS ", 10), nil)
	wantErr(t, err, opsgraph.ErrPayloadTooLarge)
	_, err = router.Route("x", &opsgraph.RouteHints{Language: "cobol"})
	wantErr(t, err, opsgraph.ErrInvalidArgument)

	// Many goroutines through one router.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if d, err := router.Route("Delete the prod database", nil); err != nil || d.Risk.Level != "high" {
					t.Errorf("Route: %+v, %v", d, err)
				}
			}
		}()
	}
	wg.Wait()
	router.Close()
	_, err = router.Route("x", nil)
	wantErr(t, err, opsgraph.ErrClosed)

	_, err = opsgraph.NewRouter(opsgraph.RouterOptions{RulesPath: "/nonexistent/rules.json"})
	wantErr(t, err, opsgraph.ErrNotFound)
	bad := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(bad, []byte(`{"rules": 1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = opsgraph.NewRouter(opsgraph.RouterOptions{RulesPath: bad})
	wantErr(t, err, opsgraph.ErrInvalidArgument)
}

func TestCheckScript(t *testing.T) {
	report, err := opsgraph.CheckScript("#!/bin/bash\nrm -rf /\n", "bash")
	if err != nil {
		t.Fatalf("CheckScript: %v", err)
	}
	if report.LintPassed || report.Language != "bash" || len(report.Findings) == 0 ||
		report.Findings[0].Rule != "rm_rf_root" || report.Findings[0].Severity != "critical" {
		t.Errorf("report: %+v", report)
	}

	checker, err := opsgraph.NewChecker(opsgraph.CheckerOptions{ShellcheckPath: opsgraph.ToolDisabled,
		MaxScriptBytes: 1024})
	if err != nil {
		t.Fatalf("NewChecker: %v", err)
	}
	defer checker.Close()
	report, err = checker.Check("Get-Process | Sort-Object CPU -Descending\n", "pwsh")
	if err != nil || report.Language != "powershell" || !report.Syntax.OK {
		t.Errorf("Check: %+v, %v", report, err)
	}
	findings, err := checker.Scan("Set-MpPreference -DisableRealtimeMonitoring $true\n", "powershell")
	if err != nil || len(findings) == 0 {
		t.Errorf("Scan: %+v, %v", findings, err)
	}
	_, err = checker.Check(strings.Repeat("echo hi\n", 300), "bash")
	wantErr(t, err, opsgraph.ErrPayloadTooLarge)
	_, err = checker.Scan("ls", "cobol")
	var e *opsgraph.Error
	if !errors.As(err, &e) || e.Code != opsgraph.StatusInvalidArgument {
		t.Errorf("unknown language: %v", err)
	}
}

func TestLogFunc(t *testing.T) {
	var mu sync.Mutex
	var records []opsgraph.LogRecord
	if err := opsgraph.SetLogFunc(opsgraph.LogDebug, func(r opsgraph.LogRecord) {
		mu.Lock()
		records = append(records, r)
		mu.Unlock()
	}); err != nil {
		t.Fatalf("SetLogFunc: %v", err)
	}
	router, err := opsgraph.NewRouter(opsgraph.RouterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	router.Close()
	if err := opsgraph.SetLogFunc(opsgraph.LogWarn, opsgraph.StdLogger(nil)); err != nil {
		t.Fatalf("SetLogFunc: %v", err)
	}
	wantErr(t, opsgraph.SetLogFunc(opsgraph.LogLevel(42), nil), opsgraph.ErrInvalidArgument)
	mu.Lock()
	defer mu.Unlock()
	if len(records) == 0 || records[0].Message == "" || records[0].Level < opsgraph.LogDebug {
		t.Errorf("records: %+v", records)
	}
}
