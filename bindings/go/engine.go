package opsgraph

/*
#include <stdlib.h>
#include <opsgraph.h>
#include "callbacks.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"time"
)

// Options configures NewEngine.
type Options struct {
	// Config is the engine config of docs/engine.md: nil for the defaults (or the file
	// $OPSGRAPH_CONFIG names, unless IgnoreEnvironment); a string, []byte or json.RawMessage as
	// JSON text; anything else is encoded with encoding/json (a map or a struct of your own).
	Config any
	// Provider answers every agent's model call; nil uses the OpenAI-compatible server of the
	// config's "provider" member.
	Provider Provider
	// ProviderName labels Provider in logs and metrics; "" is "go".
	ProviderName string
	// IgnoreEnvironment turns off the OPSGRAPH_CONFIG, OPSGRAPH_LLM_BASE_URL, OPENAI_BASE_URL,
	// OPSGRAPH_LLM_MODEL and OPSGRAPH_STORE overrides.
	IgnoreEnvironment bool
}

// Engine runs IT tasks on threads of its own and keeps them in its store. All methods may be
// called from any goroutine at once; Close must come last and never from a callback (a Provider
// or a Subscribe function). Methods other than Wait return at once: their ctx is only checked
// before the call.
type Engine struct {
	mu     sync.RWMutex // held shared by calls, exclusively by Close
	closed atomic.Bool
	ptr    *C.opsgraph_engine
}

// NewEngine builds the engine the options describe and starts its worker.
func NewEngine(options Options) (*Engine, error) {
	if err := checkABI(); err != nil {
		return nil, err
	}
	config, err := configText(options.Config)
	if err != nil {
		return nil, err
	}
	var copts C.opsgraph_engine_options
	if err := call(func() C.opsgraph_status {
		return C.opsgraph_engine_options_init(&copts, C.sizeof_opsgraph_engine_options)
	}); err != nil {
		return nil, err
	}
	if options.IgnoreEnvironment {
		copts.ignore_environment = 1
	}
	if config != "" {
		copts.config_json = cString(config)
		defer freeString(copts.config_json)
	}
	if options.Provider != nil {
		provider, err := newCProvider(options.ProviderName, options.Provider)
		if err != nil {
			return nil, err
		}
		// The engine keeps its own share of the provider.
		defer C.opsgraph_provider_destroy(provider)
		copts.provider = provider
	}
	e := &Engine{}
	if err := call(func() C.opsgraph_status { return C.opsgraph_engine_create(&copts, &e.ptr) }); err != nil {
		return nil, err
	}
	return e, nil
}

func configText(config any) (string, error) {
	switch c := config.(type) {
	case nil:
		return "", nil
	case string:
		return c, checkText("config", c)
	case []byte:
		return string(c), checkText("config", string(c))
	case json.RawMessage:
		return string(c), checkText("config", string(c))
	default:
		b, err := json.Marshal(c)
		if err != nil {
			return "", &Error{Code: StatusInvalidArgument, Message: "config: " + err.Error()}
		}
		return string(b), nil
	}
}

// Close stops the engine: tasks it runs are released unfinished and resume from their last
// checkpoint under the next engine on the same store. It blocks until the engine's threads end;
// no Subscribe function runs after it returns. Later calls return ErrClosed.
func (e *Engine) Close() error {
	if e.closed.Swap(true) {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	C.opsgraph_engine_destroy(e.ptr)
	e.ptr = nil
	return nil
}

// with runs f with the engine held open.
func (e *Engine) with(ctx context.Context, f func(*C.opsgraph_engine) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return ErrClosed
	}
	return f(e.ptr)
}

// taskCall runs a C call that hands out a task.
func (e *Engine) taskCall(ctx context.Context, f func(*C.opsgraph_engine, **C.char) C.opsgraph_status) (*Task, error) {
	var task *Task
	err := e.with(ctx, func(p *C.opsgraph_engine) error {
		out, err := callJSON(func(out **C.char) C.opsgraph_status { return f(p, out) })
		if err != nil {
			return err
		}
		task, err = decodeTask(out)
		return err
	})
	return task, err
}

func decodeTask(data []byte) (*Task, error) {
	var t Task
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, &Error{Code: StatusInternal, Message: "decoding a task: " + err.Error()}
	}
	return &t, nil
}

// jsonArg encodes v for a C call; nil stays NULL.
func jsonArg(v any) (*C.char, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Code: StatusInvalidArgument, Message: err.Error()}
	}
	return cString(string(b)), nil
}

// Execute stores a new task, queued, and returns it at once; the engine then runs it. Use Wait
// to follow it.
func (e *Engine) Execute(ctx context.Context, request Request) (*Task, error) {
	body, err := jsonArg(request)
	if err != nil {
		return nil, err
	}
	defer freeString(body)
	return e.taskCall(ctx, func(p *C.opsgraph_engine, out **C.char) C.opsgraph_status {
		return C.opsgraph_engine_execute(p, body, out)
	})
}

// decide runs approve or reject on the task id with decision as JSON.
func (e *Engine) decide(ctx context.Context, id string, decision any,
	f func(*C.opsgraph_engine, *C.char, *C.char, **C.char) C.opsgraph_status) (*Task, error) {
	if err := checkText("task id", id); err != nil {
		return nil, err
	}
	body, err := jsonArg(decision)
	if err != nil {
		return nil, err
	}
	defer freeString(body)
	cid := cString(id)
	defer freeString(cid)
	return e.taskCall(ctx, func(p *C.opsgraph_engine, out **C.char) C.opsgraph_status {
		return f(p, cid, body, out)
	})
}

// Approve approves the gate the task waits at. The same decision again returns the task
// unchanged. ErrConflict: the task waits for no approval, or the hash is stale.
func (e *Engine) Approve(ctx context.Context, id string, approval Approval) (*Task, error) {
	return e.decide(ctx, id, approval, func(p *C.opsgraph_engine, cid, body *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_engine_approve(p, cid, body, out)
	})
}

// Reject rejects the gate the task waits at; the task ends rejected. Errors as for Approve.
func (e *Engine) Reject(ctx context.Context, id string, rejection Rejection) (*Task, error) {
	return e.decide(ctx, id, rejection, func(p *C.opsgraph_engine, cid, body *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_engine_reject(p, cid, body, out)
	})
}

// idCall runs a C call taking a task id and an actor ("" is NULL).
func (e *Engine) idCall(ctx context.Context, id, actor string,
	f func(*C.opsgraph_engine, *C.char, *C.char, **C.char) C.opsgraph_status) (*Task, error) {
	if err := checkText("task id or actor", id, actor); err != nil {
		return nil, err
	}
	cid := cString(id)
	defer freeString(cid)
	cactor := cOptional(actor)
	defer freeString(cactor)
	return e.taskCall(ctx, func(p *C.opsgraph_engine, out **C.char) C.opsgraph_status {
		return f(p, cid, cactor, out)
	})
}

// Status returns the task as it is now. ErrNotFound when there is no such task.
func (e *Engine) Status(ctx context.Context, id string) (*Task, error) {
	return e.idCall(ctx, id, "", func(p *C.opsgraph_engine, cid, _ *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_engine_status(p, cid, out)
	})
}

// Cancel cancels a task that has not finished; actor "" is "anonymous". ErrConflict when it
// already finished.
func (e *Engine) Cancel(ctx context.Context, id, actor string) (*Task, error) {
	return e.idCall(ctx, id, actor, func(p *C.opsgraph_engine, cid, cactor *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_engine_cancel(p, cid, cactor, out)
	})
}

// Retry queues a failed task again; it continues from its last checkpoint. ErrConflict when it
// has not failed.
func (e *Engine) Retry(ctx context.Context, id, actor string) (*Task, error) {
	return e.idCall(ctx, id, actor, func(p *C.opsgraph_engine, cid, cactor *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_engine_retry(p, cid, cactor, out)
	})
}

// List returns one page of tasks, newest first.
func (e *Engine) List(ctx context.Context, query ListQuery) (*TaskPage, error) {
	body, err := jsonArg(query)
	if err != nil {
		return nil, err
	}
	defer freeString(body)
	var page TaskPage
	err = e.with(ctx, func(p *C.opsgraph_engine) error {
		out, err := callJSON(func(out **C.char) C.opsgraph_status { return C.opsgraph_engine_list(p, body, out) })
		if err != nil {
			return err
		}
		if err := json.Unmarshal(out, &page); err != nil {
			return &Error{Code: StatusInternal, Message: "decoding a task page: " + err.Error()}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &page, nil
}

// WaitFor is what Wait waits for.
type WaitFor int

const (
	// WaitPlan: the plan exists, or the task settled before planning.
	WaitPlan WaitFor = C.OPSGRAPH_WAIT_PLAN
	// WaitSettled: a human is asked (waiting_approval), or the status is final.
	WaitSettled WaitFor = C.OPSGRAPH_WAIT_SETTLED
	// WaitFinal: completed, failed, rejected or cancelled.
	WaitFinal WaitFor = C.OPSGRAPH_WAIT_FINAL
)

// reached reports whether task is at what.
func (what WaitFor) reached(task *Task) bool {
	settled := task.Status.Final() || task.Status == TaskWaitingApproval
	switch what {
	case WaitPlan:
		return task.Plan != nil || settled
	case WaitSettled:
		return settled
	default:
		return task.Status.Final()
	}
}

// waitSlice bounds one blocking C wait, so that a cancelled ctx is seen within it. A deadline is
// honoured exactly: the last slice ends at it.
const waitSlice = 100 * time.Millisecond

// Wait blocks until the task reaches what, or ctx is done. On ctx's end it returns the task as
// last seen (nil if never) with ctx.Err(). It must not be called from a callback.
func (e *Engine) Wait(ctx context.Context, id string, what WaitFor) (*Task, error) {
	if what < WaitPlan || what > WaitFinal {
		return nil, &Error{Code: StatusInvalidArgument, Message: "unknown WaitFor value"}
	}
	var last *Task
	for {
		if err := ctx.Err(); err != nil {
			return last, err
		}
		slice := waitSlice
		if deadline, ok := ctx.Deadline(); ok {
			if left := time.Until(deadline); left < slice {
				slice = left
			}
		}
		if slice < 0 {
			slice = 0
		}
		ms := C.uint32_t(slice / time.Millisecond)
		task, err := e.idCall(context.Background(), id, "", func(p *C.opsgraph_engine, cid, _ *C.char, out **C.char) C.opsgraph_status {
			return C.opsgraph_engine_wait(p, cid, C.int(what), ms, out)
		})
		if err != nil {
			return last, err
		}
		last = task
		if what.reached(task) {
			return task, nil
		}
		if ms == 0 {
			// Under a millisecond left: sleep it off rather than spin on looks.
			select {
			case <-ctx.Done():
			case <-time.After(slice):
			}
		}
	}
}

// Event is one entry of a task's audit trail, or (Seq 0, Type "progress") an unstored progress
// notice delivered to subscribers.
type Event struct {
	TaskID string          `json:"task_id"`
	Seq    uint64          `json:"seq"`
	Type   string          `json:"type"`
	Data   json.RawMessage `json:"data"`
	At     time.Time       `json:"at"`
}

// Events returns the stored events of a task after afterSeq (0: from the first), oldest first,
// at most limit (1..1000).
func (e *Engine) Events(ctx context.Context, id string, afterSeq uint64, limit int) ([]Event, error) {
	if err := checkText("task id", id); err != nil {
		return nil, err
	}
	if limit < 0 {
		return nil, &Error{Code: StatusInvalidArgument, Message: "limit must be 1..1000"}
	}
	cid := cString(id)
	defer freeString(cid)
	var page struct {
		Events []Event `json:"events"`
	}
	err := e.with(ctx, func(p *C.opsgraph_engine) error {
		out, err := callJSON(func(out **C.char) C.opsgraph_status {
			return C.opsgraph_engine_events(p, cid, C.uint64_t(afterSeq), C.size_t(limit), out)
		})
		if err != nil {
			return err
		}
		if err := json.Unmarshal(out, &page); err != nil {
			return &Error{Code: StatusInternal, Message: "decoding events: " + err.Error()}
		}
		return nil
	})
	return page.Events, err
}

// Subscription delivers a task's (or every task's) events to a function until Close.
type Subscription struct {
	closed atomic.Bool
	ptr    *C.opsgraph_subscription
}

type subscriber struct{ fn func(Event) }

// Subscribe calls fn with every event the engine records or reports for taskID ("" for every
// task of this engine), in order per task. fn runs on one of the engine's threads, one event at
// a time per engine: keep it quick, and hand Execute, Approve, Reject, Cancel, Retry and a
// blocking Wait to a goroutine of your own (called from fn they fail with ErrConflict).
func (e *Engine) Subscribe(taskID string, fn func(Event)) (*Subscription, error) {
	if fn == nil {
		return nil, &Error{Code: StatusInvalidArgument, Message: "Subscribe needs a function"}
	}
	if err := checkText("task id", taskID); err != nil {
		return nil, err
	}
	cid := cOptional(taskID)
	defer freeString(cid)
	s := &Subscription{}
	err := e.with(context.Background(), func(p *C.opsgraph_engine) error {
		h := cgo.NewHandle(&subscriber{fn: fn})
		err := call(func() C.opsgraph_status {
			return C.opsgraphgo_subscribe(p, cid, C.uintptr_t(h), &s.ptr)
		})
		if err != nil {
			h.Delete() // on failure nothing is kept and the destroy callback is not called
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close ends the subscription: once it returns, its function is not running (unless Close is
// called from inside it) and is never called again. It may come before or after Engine.Close.
// Only the first Close does this; later ones return at once.
func (s *Subscription) Close() error {
	if !s.closed.Swap(true) {
		C.opsgraph_subscription_destroy(s.ptr)
	}
	return nil
}
