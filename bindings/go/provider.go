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
	"errors"
	"fmt"
	"runtime/cgo"
	"strings"
	"time"
)

// Provider is a model of your own: every agent's model call becomes one Chat call, on a
// goroutine of its own, so Chat may block (an HTTP call). ctx ends when the request's timeout
// passes or the engine is closed.
//
// A returned error fails the call. An *Error (or an error wrapping one) chooses the status
// (1..16) and whether the engine's node retry policy may ask again; context.DeadlineExceeded
// is a retryable timeout, context.Canceled a cancellation, anything else upstream_unavailable,
// not retryable (a provider retries transport failures itself, as opsgraph's own do).
type Provider interface {
	Chat(ctx context.Context, request ChatRequest) (ChatResponse, error)
}

// ProviderFunc makes a function a Provider.
type ProviderFunc func(ctx context.Context, request ChatRequest) (ChatResponse, error)

// Chat calls f.
func (f ProviderFunc) Chat(ctx context.Context, request ChatRequest) (ChatResponse, error) {
	return f(ctx, request)
}

// ChatRequest is one model call: the messages (the agent's system prompt first), the answer's
// format (a JSON schema) and the sampling parameters. Raw holds the whole JSON document.
type ChatRequest struct {
	Model          string            `json:"model"`
	Messages       []Message         `json:"messages"`
	Temperature    *float64          `json:"temperature"`
	TopP           *float64          `json:"top_p"`
	MaxTokens      *int              `json:"max_tokens"`
	Seed           *int64            `json:"seed"`
	Stop           []string          `json:"stop"`
	ResponseFormat json.RawMessage   `json:"response_format"`
	TimeoutMs      int64             `json:"timeout_ms"`
	Metadata       map[string]string `json:"metadata"` // task_id, node, agent, ...

	Raw json.RawMessage `json:"-"`
}

// Message is one chat message; Role is system, user, assistant or tool.
type Message struct {
	Role       string `json:"role"`
	Content    string `json:"content"`
	ToolCallID string `json:"tool_call_id,omitempty"`
}

// ChatResponse is the model's answer; only Content is required.
type ChatResponse struct {
	Content      string `json:"content"`
	FinishReason string `json:"finish_reason,omitempty"`
	Model        string `json:"model,omitempty"`
	ID           string `json:"id,omitempty"`
	Usage        *Usage `json:"usage,omitempty"`
	LatencyMs    int64  `json:"latency_ms,omitempty"`
	Attempts     int    `json:"attempts,omitempty"`
}

// Usage is the token count of one model call.
type Usage struct {
	PromptTokens     int64 `json:"prompt_tokens"`
	CompletionTokens int64 `json:"completion_tokens"`
	TotalTokens      int64 `json:"total_tokens"`
}

// goProvider is what a provider's cgo.Handle holds: the Provider and the context its calls run
// under, cancelled when opsgraph releases the provider (the last engine using it is closed).
type goProvider struct {
	provider Provider
	ctx      context.Context
	cancel   context.CancelFunc
}

func (p *goProvider) release() { p.cancel() }

// newCProvider wraps provider in an opsgraph_provider; the caller destroys its share.
func newCProvider(name string, provider Provider) (*C.opsgraph_provider, error) {
	if name == "" {
		name = "go"
	}
	if err := checkText("provider name", name); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := cgo.NewHandle(&goProvider{provider: provider, ctx: ctx, cancel: cancel})
	cname := cString(name)
	defer freeString(cname)
	var out *C.opsgraph_provider
	if err := call(func() C.opsgraph_status {
		return C.opsgraphgo_provider_create(cname, C.uintptr_t(h), &out)
	}); err != nil {
		cancel()
		h.Delete() // a failed create keeps nothing and calls no destroy
		return nil, err
	}
	return out, nil
}

// serve answers one call; it runs on a goroutine of its own.
func (p *goProvider) serve(requestJSON string, reply *C.opsgraph_reply) {
	response, err := p.chat(requestJSON)
	if err == nil {
		body, merr := json.Marshal(response)
		if merr != nil {
			err = &Error{Code: StatusBadResponse, Message: "encoding the response: " + merr.Error()}
		} else {
			cbody := cString(string(body))
			defer freeString(cbody)
			if call(func() C.opsgraph_status { return C.opsgraph_reply_ok(reply, cbody) }) == nil {
				return
			}
			// Refused (not a ChatResponse, bad UTF-8) or answered already: fail the call.
			err = &Error{Code: StatusBadResponse, Message: "the provider's response was refused"}
		}
	}
	code, retryable := providerStatus(err)
	message := err.Error()
	if e, ok := err.(*Error); ok {
		message = e.Message // not "opsgraph: <code>: ...": the task's error carries the code
	}
	// A refused message (bad UTF-8) would leave the call waiting until its node timeout.
	cmessage := cString(strings.ToValidUTF8(strings.ReplaceAll(message, "\x00", " "), "\uFFFD"))
	defer freeString(cmessage)
	retry := C.int(0)
	if retryable {
		retry = 1
	}
	_ = call(func() C.opsgraph_status { return C.opsgraph_reply_error(reply, C.int(code), cmessage, retry) })
}

// chat decodes the request and calls the Provider, turning a panic into an error.
func (p *goProvider) chat(requestJSON string) (response ChatResponse, err error) {
	var request ChatRequest
	if err := json.Unmarshal([]byte(requestJSON), &request); err != nil {
		return response, &Error{Code: StatusInternal, Message: "decoding the chat request: " + err.Error()}
	}
	request.Raw = json.RawMessage(requestJSON)
	ctx, cancel := p.ctx, context.CancelFunc(func() {})
	if request.TimeoutMs > 0 {
		ctx, cancel = context.WithTimeout(ctx, time.Duration(request.TimeoutMs)*time.Millisecond)
	}
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Code: StatusInternal, Message: fmt.Sprintf("the provider panicked: %v", r)}
		}
	}()
	return p.provider.Chat(ctx, request)
}

// providerStatus maps a provider's error to the status and retryability of its reply.
func providerStatus(err error) (Status, bool) {
	var e *Error
	switch {
	case errors.As(err, &e):
		if e.Code < StatusInvalidArgument || e.Code > StatusInternal {
			return StatusInternal, false
		}
		return e.Code, e.Retryable
	case errors.Is(err, context.DeadlineExceeded):
		return StatusTimeout, true
	case errors.Is(err, context.Canceled):
		return StatusCancelled, false
	default:
		return StatusUpstreamUnavailable, false
	}
}
