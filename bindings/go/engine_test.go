package opsgraph_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"opsgraph.dev/opsgraph"
)

const memoryConfig = `{"store": {"kind": "memory"}, "limits": {"poll_interval_ms": 50}}`

func newEngine(t *testing.T, model opsgraph.Provider, config any) *opsgraph.Engine {
	t.Helper()
	if config == nil {
		config = memoryConfig
	}
	engine, err := opsgraph.NewEngine(opsgraph.Options{Config: config, Provider: model,
		ProviderName: "canned-go", IgnoreEnvironment: true})
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	t.Cleanup(func() { engine.Close() })
	return engine
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func execute(t *testing.T, engine *opsgraph.Engine, request opsgraph.Request) *opsgraph.Task {
	t.Helper()
	task, err := engine.Execute(testContext(t), request)
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	return task
}

func wait(t *testing.T, engine *opsgraph.Engine, id string, what opsgraph.WaitFor) *opsgraph.Task {
	t.Helper()
	task, err := engine.Wait(testContext(t), id, what)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	return task
}

func wantStatus(t *testing.T, task *opsgraph.Task, status opsgraph.TaskStatus) {
	t.Helper()
	if task.Status != status {
		t.Fatalf("task %s is %s at %s, want %s: %s", task.ID, task.Status, task.Stage, status, task.Raw)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
}

func TestLowRiskTaskCompletes(t *testing.T) {
	model := &cannedModel{}
	engine := newEngine(t, model, nil)
	task := execute(t, engine, opsgraph.Request{Request: cpuRequest, Requester: "go-test",
		Context: map[string]any{"host": "cpu01"}})
	wantStatus(t, task, opsgraph.TaskQueued)
	if task.ID == "" || task.Requester != "go-test" || task.Context["host"] != "cpu01" {
		t.Fatalf("task as stored: %s", task.Raw)
	}
	task = wait(t, engine, task.ID, opsgraph.WaitFinal)
	wantStatus(t, task, opsgraph.TaskCompleted)
	if task.Diagnosis == nil || task.Diagnosis.RootCause != "A Defender full scan scheduled after patching" {
		t.Errorf("diagnosis: %+v", task.Diagnosis)
	}
	if task.Script == nil || task.Script.Language != "powershell" || task.Script.Hash == "" {
		t.Errorf("script: %+v", task.Script)
	}
	if !strings.Contains(task.EmailDraft, "Subject: cpu01 high CPU: cause found") {
		t.Errorf("email draft: %q", task.EmailDraft)
	}
	if task.Plan == nil || len(task.Plan.Steps) != 3 || task.Usage == nil || task.Usage.LLMCalls < 4 {
		t.Errorf("plan %+v, usage %+v", task.Plan, task.Usage)
	}
	if model.calls.Load() < 4 {
		t.Errorf("%d model calls", model.calls.Load())
	}
	model.mu.Lock()
	request := model.requests[0]
	model.mu.Unlock()
	if len(request.Messages) == 0 || request.Metadata["agent"] != "planner" || len(request.Raw) == 0 {
		t.Errorf("chat request: %s", request.Raw)
	}

	// Decisions on a task that waits for none.
	ctx := testContext(t)
	_, err := engine.Approve(ctx, task.ID, opsgraph.Approval{Actor: "alice"})
	wantErr(t, err, opsgraph.ErrConflict)
	_, err = engine.Cancel(ctx, task.ID, "bob")
	wantErr(t, err, opsgraph.ErrConflict)
	_, err = engine.Retry(ctx, task.ID, "bob")
	wantErr(t, err, opsgraph.ErrConflict)
	var e *opsgraph.Error
	if !errors.As(err, &e) || e.Code != opsgraph.StatusConflict || e.Message == "" {
		t.Errorf("error %#v", err)
	}

	page, err := engine.List(ctx, opsgraph.ListQuery{Statuses: []opsgraph.TaskStatus{opsgraph.TaskCompleted}})
	if err != nil || len(page.Tasks) != 1 || page.Tasks[0].ID != task.ID || len(page.Tasks[0].Raw) == 0 {
		t.Errorf("List: %+v, %v", page, err)
	}
}

func TestGatedTaskApprovedWithPlanHash(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	ctx := testContext(t)
	task := execute(t, engine, opsgraph.Request{Request: rdpRequest})
	if task.Route == nil || !task.Route.RequiresApproval || task.Risk == nil || task.Risk.Level != "high" {
		t.Fatalf("route %+v, risk %+v", task.Route, task.Risk)
	}
	task = wait(t, engine, task.ID, opsgraph.WaitSettled)
	wantStatus(t, task, opsgraph.TaskWaitingApproval)
	if task.Stage != "plan_review" || task.Plan == nil || task.Plan.Hash == "" {
		t.Fatalf("waiting at %s with plan %+v", task.Stage, task.Plan)
	}

	_, err := engine.Approve(ctx, task.ID, opsgraph.Approval{Actor: "alice", Hash: "sha256:0"})
	wantErr(t, err, opsgraph.ErrConflict) // a stale hash
	approval := opsgraph.Approval{Actor: "alice", Comment: "change window 22:00", Hash: task.Plan.Hash}
	approved, err := engine.Approve(ctx, task.ID, approval)
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	if len(approved.Approvals) != 1 || approved.Approvals[0].Actor != "alice" {
		t.Errorf("approvals: %+v", approved.Approvals)
	}
	task = wait(t, engine, task.ID, opsgraph.WaitFinal)
	wantStatus(t, task, opsgraph.TaskCompleted)
	if task.Script == nil || task.Script.Language != "azurecli" {
		t.Errorf("script: %+v", task.Script)
	}
	if _, err := engine.Approve(ctx, task.ID, approval); err != nil { // the same decision again
		t.Errorf("approving again: %v", err)
	}
	_, err = engine.Reject(ctx, task.ID, opsgraph.Rejection{Actor: "bob"})
	wantErr(t, err, opsgraph.ErrConflict)
}

func TestGatedTaskRejected(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	task := execute(t, engine, opsgraph.Request{Request: rdpRequest})
	task = wait(t, engine, task.ID, opsgraph.WaitSettled)
	wantStatus(t, task, opsgraph.TaskWaitingApproval)
	task, err := engine.Reject(testContext(t), task.ID, opsgraph.Rejection{Actor: "bob", Reason: "not today"})
	if err != nil {
		t.Fatalf("Reject: %v", err)
	}
	task = wait(t, engine, task.ID, opsgraph.WaitFinal)
	wantStatus(t, task, opsgraph.TaskRejected)
	if task.Script != nil {
		t.Errorf("a rejected plan got a script: %+v", task.Script)
	}
}

func TestErrors(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	ctx := testContext(t)
	missing := "01900000-0000-7000-8000-000000000000"

	_, err := engine.Status(ctx, missing)
	wantErr(t, err, opsgraph.ErrNotFound)
	_, err = engine.Approve(ctx, missing, opsgraph.Approval{})
	wantErr(t, err, opsgraph.ErrNotFound)
	_, err = engine.Wait(ctx, missing, opsgraph.WaitFinal)
	wantErr(t, err, opsgraph.ErrNotFound)
	_, err = engine.Events(ctx, missing, 0, 10)
	wantErr(t, err, opsgraph.ErrNotFound)
	if errors.Is(err, opsgraph.ErrConflict) {
		t.Errorf("not_found matched ErrConflict")
	}

	_, err = engine.Execute(ctx, opsgraph.Request{})
	wantErr(t, err, opsgraph.ErrInvalidArgument)
	var e *opsgraph.Error
	if !errors.As(err, &e) || e.Message == "" || e.Retryable {
		t.Errorf("error %#v", err)
	}
	_, err = engine.Execute(ctx, opsgraph.Request{Request: "x", Language: "cobol"})
	wantErr(t, err, opsgraph.ErrInvalidArgument)
	_, err = engine.Execute(ctx, opsgraph.Request{Request: "x", Context: map[string]any{"a": []int{1}}})
	wantErr(t, err, opsgraph.ErrInvalidArgument)
	_, err = engine.Status(ctx, "nul\x00byte")
	wantErr(t, err, opsgraph.ErrInvalidArgument)
	_, err = engine.Status(ctx, "\xff")
	wantErr(t, err, opsgraph.ErrInvalidUTF8)
	_, err = engine.List(ctx, opsgraph.ListQuery{Limit: 5000})
	wantErr(t, err, opsgraph.ErrInvalidArgument)
	_, err = engine.Events(ctx, missing, 0, 0)
	wantErr(t, err, opsgraph.ErrInvalidArgument)

	_, err = opsgraph.NewEngine(opsgraph.Options{Config: `{"store": {"kind": "memroy"}}`, IgnoreEnvironment: true})
	wantErr(t, err, opsgraph.ErrInvalidArgument)
	if !strings.Contains(err.Error(), "store.kind") {
		t.Errorf("config error names no field: %v", err)
	}
	_, err = opsgraph.NewEngine(opsgraph.Options{Config: map[string]any{"store": map[string]any{"kind": "memory"}, "colour": 1},
		IgnoreEnvironment: true})
	wantErr(t, err, opsgraph.ErrInvalidArgument)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = engine.Status(cancelled, missing)
	wantErr(t, err, context.Canceled)

	closed := newEngine(t, &cannedModel{}, nil)
	closed.Close()
	_, err = closed.Status(ctx, missing)
	wantErr(t, err, opsgraph.ErrClosed)
	if err := closed.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// The last error is per OS thread: errors raised on many goroutines at once stay their own.
func TestErrorsFromManyGoroutines(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	ctx := testContext(t)
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if i%2 == 0 {
					_, err := engine.Status(ctx, "01900000-0000-7000-8000-000000000000")
					if !errors.Is(err, opsgraph.ErrNotFound) {
						t.Errorf("Status: %v", err)
					}
				} else {
					_, err := engine.Execute(ctx, opsgraph.Request{Request: ""})
					if !errors.Is(err, opsgraph.ErrInvalidArgument) {
						t.Errorf("Execute: %v", err)
					}
				}
			}
		}(i)
	}
	wg.Wait()
}

func TestProviderErrorThenRetry(t *testing.T) {
	model := &cannedModel{}
	engine := newEngine(t, model, `{"store": {"kind": "memory"}, "policy": {"node_attempts": 1},
		"limits": {"poll_interval_ms": 50}}`)
	model.setFail(&opsgraph.Error{Code: opsgraph.StatusRateLimited, Message: "slow down"})
	task := execute(t, engine, opsgraph.Request{Request: cpuRequest})
	task = wait(t, engine, task.ID, opsgraph.WaitFinal)
	wantStatus(t, task, opsgraph.TaskFailed)
	if task.Error == nil || task.Error.Code != "rate_limited" || !strings.Contains(task.Error.Message, "slow down") {
		t.Errorf("task error: %+v", task.Error)
	}

	model.setFail(nil)
	retried, err := engine.Retry(testContext(t), task.ID, "dave")
	if err != nil {
		t.Fatalf("Retry: %v", err)
	}
	if retried.Status == opsgraph.TaskFailed {
		t.Errorf("retried task still failed")
	}
	task = wait(t, engine, task.ID, opsgraph.WaitFinal)
	wantStatus(t, task, opsgraph.TaskCompleted)
}

func TestProviderPlainErrorAndPanic(t *testing.T) {
	for name, provider := range map[string]opsgraph.ProviderFunc{
		"error": func(context.Context, opsgraph.ChatRequest) (opsgraph.ChatResponse, error) {
			return opsgraph.ChatResponse{}, errors.New("connection refused")
		},
		"panic": func(context.Context, opsgraph.ChatRequest) (opsgraph.ChatResponse, error) {
			panic("model exploded")
		},
	} {
		t.Run(name, func(t *testing.T) {
			engine := newEngine(t, provider, nil)
			task := execute(t, engine, opsgraph.Request{Request: cpuRequest})
			task = wait(t, engine, task.ID, opsgraph.WaitFinal)
			wantStatus(t, task, opsgraph.TaskFailed)
			want := map[string]string{"error": "upstream_unavailable", "panic": "internal"}[name]
			if task.Error == nil || task.Error.Code != want {
				t.Errorf("task error: %+v", task.Error)
			}
		})
	}
}

func TestCancelWhileModelWaits(t *testing.T) {
	model := &cannedModel{}
	model.setBlock(true)
	engine := newEngine(t, model, nil)
	ctx := testContext(t)
	task := execute(t, engine, opsgraph.Request{Request: "Check the disk space on files01"})
	for model.calls.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	task, err := engine.Cancel(ctx, task.ID, "carol")
	if err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	wantStatus(t, task, opsgraph.TaskCancelled)
	task = wait(t, engine, task.ID, opsgraph.WaitFinal)
	wantStatus(t, task, opsgraph.TaskCancelled)
}

func TestWaitHonoursContext(t *testing.T) {
	model := &cannedModel{}
	model.setBlock(true)
	engine := newEngine(t, model, nil)
	task := execute(t, engine, opsgraph.Request{Request: cpuRequest})

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	last, err := engine.Wait(ctx, task.ID, opsgraph.WaitFinal)
	late := time.Since(deadline)
	wantErr(t, err, context.DeadlineExceeded)
	if late < 0 || late > 700*time.Millisecond {
		t.Errorf("Wait returned %v after its deadline", late)
	}
	if last == nil || last.ID != task.ID || last.Status.Final() {
		t.Errorf("last seen: %+v", last)
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(150*time.Millisecond, cancel)
	start := time.Now()
	_, err = engine.Wait(ctx, task.ID, opsgraph.WaitFinal)
	wantErr(t, err, context.Canceled)
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Wait saw the cancellation after %v", elapsed)
	}
	if _, err := engine.Cancel(context.Background(), task.ID, ""); err != nil {
		t.Errorf("Cancel: %v", err)
	}
}

func TestEventsAndSubscribe(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	ctx := testContext(t)

	var mu sync.Mutex
	var all, mine []opsgraph.Event
	everyTask, err := engine.Subscribe("", func(e opsgraph.Event) {
		mu.Lock()
		all = append(all, e)
		mu.Unlock()
	})
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	defer everyTask.Close()

	// Subscribed before it runs: the engine runs nothing before Execute returns the id, but the
	// "created" event may come first, so per-task events are compared from "planned" on.
	task := execute(t, engine, opsgraph.Request{Request: cpuRequest})
	perTask, err := engine.Subscribe(task.ID, func(e opsgraph.Event) {
		if e.TaskID != task.ID {
			t.Errorf("event of task %s", e.TaskID)
		}
		mu.Lock()
		mine = append(mine, e)
		mu.Unlock()
	})
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	wait(t, engine, task.ID, opsgraph.WaitFinal)
	perTask.Close()
	perTask.Close()

	events, err := engine.Events(ctx, task.ID, 0, 1000)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	types := map[string]bool{}
	for i, e := range events {
		types[e.Type] = true
		if e.Seq != uint64(i+1) || e.TaskID != task.ID || e.At.IsZero() {
			t.Errorf("event %d: %+v", i, e)
		}
	}
	if !types["created"] || !types["planned"] || !types["status"] {
		t.Errorf("event types: %v", types)
	}
	paged, err := engine.Events(ctx, task.ID, 1, 1)
	if err != nil || len(paged) != 1 || paged[0].Seq != 2 {
		t.Errorf("Events after 1, limit 1: %+v, %v", paged, err)
	}

	mu.Lock()
	defer mu.Unlock()
	// The every-task subscription began before Execute: it saw the whole log, and progress too.
	stored, progress := 0, 0
	for _, e := range all {
		if e.TaskID != task.ID {
			continue
		}
		if e.Type == "progress" {
			progress++
			if e.Seq != 0 {
				t.Errorf("progress with seq %d", e.Seq)
			}
		} else {
			stored++
		}
	}
	if progress == 0 || stored != len(events) {
		t.Errorf("subscriber saw %d stored and %d progress events; the store has %d", stored, progress, len(events))
	}
	// The task's own subscription began after Execute returned, when the task may have run some
	// steps already: what it saw is the end of the log, in order.
	last := uint64(0)
	for _, e := range mine {
		if e.Type == "progress" {
			continue
		}
		if last != 0 && e.Seq != last+1 {
			t.Errorf("the task's subscriber saw seq %d after %d", e.Seq, last)
		}
		last = e.Seq
	}
	if last != 0 && last != uint64(len(events)) {
		t.Errorf("the task's subscriber stopped at seq %d of %d", last, len(events))
	}
}

// From inside a callback, what would deadlock fails with ErrConflict; looking is allowed; a
// subscription may end itself.
func TestCallsFromSubscribeFunction(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	type result struct{ execute, status, wait error }
	results := make(chan result, 1)
	var sub *opsgraph.Subscription
	var subMu sync.Mutex
	var err error
	subMu.Lock()
	sub, err = engine.Subscribe("", func(e opsgraph.Event) {
		ctx := context.Background()
		_, execErr := engine.Execute(ctx, opsgraph.Request{Request: "restart IIS"})
		_, statusErr := engine.Status(ctx, e.TaskID)
		shortCtx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_, waitErr := engine.Wait(shortCtx, e.TaskID, opsgraph.WaitFinal)
		subMu.Lock()
		s := sub
		subMu.Unlock()
		s.Close() // its own subscription, from inside its function
		select {
		case results <- result{execErr, statusErr, waitErr}:
		default:
			t.Errorf("called again after closing itself")
		}
	})
	subMu.Unlock()
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	task := execute(t, engine, opsgraph.Request{Request: cpuRequest})
	r := <-results
	wantErr(t, r.execute, opsgraph.ErrConflict)
	wantErr(t, r.wait, opsgraph.ErrConflict)
	if r.status != nil {
		t.Errorf("Status from a callback: %v", r.status)
	}
	wait(t, engine, task.ID, opsgraph.WaitFinal)
}

func TestGoroutinesAtOnce(t *testing.T) {
	engine := newEngine(t, &cannedModel{}, nil)
	ctx := testContext(t)
	const n = 8
	var wg sync.WaitGroup
	ids := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			task, err := engine.Execute(ctx, opsgraph.Request{Request: cpuRequest, Requester: "crowd"})
			if err != nil {
				t.Errorf("Execute: %v", err)
				return
			}
			ids[i] = task.ID
			if _, err := engine.Status(ctx, task.ID); err != nil {
				t.Errorf("Status: %v", err)
			}
			task, err = engine.Wait(ctx, task.ID, opsgraph.WaitFinal)
			if err != nil || task.Status != opsgraph.TaskCompleted {
				t.Errorf("task %+v, %v", task, err)
			}
		}(i)
	}
	wg.Wait()
	page, err := engine.List(ctx, opsgraph.ListQuery{Requester: "crowd", Limit: 3})
	if err != nil || len(page.Tasks) != 3 || page.NextCursor == "" {
		t.Fatalf("List: %+v, %v", page, err)
	}
	rest, err := engine.List(ctx, opsgraph.ListQuery{Requester: "crowd", Limit: 1000, Cursor: page.NextCursor})
	if err != nil || len(rest.Tasks) != n-3 || rest.NextCursor != "" {
		t.Fatalf("next page: %d tasks, cursor %q, %v", len(rest.Tasks), rest.NextCursor, err)
	}
}
