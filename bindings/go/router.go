package opsgraph

/*
#include <stdlib.h>
#include <opsgraph.h>
*/
import "C"

import (
	"encoding/json"
	"sync"
)

// RouterOptions configures NewRouter; the zero value is the defaults.
type RouterOptions struct {
	RulesPath       string // a rule file (docs/router.md); "" for the built-in rules
	MaxRequestBytes int    // longest request text; 0: 16 KiB
	MaxContextBytes int    // most bytes of context strings scanned; 0: 16 KiB
}

// RouteHints are optional hints for Route.
type RouteHints struct {
	RequireApproval bool           `json:"require_approval,omitempty"`
	Language        string         `json:"language,omitempty"`
	Context         map[string]any `json:"context,omitempty"`
}

// RouteDecision classifies a request: its risk, route and the floor no later stage goes below.
// Raw holds the whole JSON document.
type RouteDecision struct {
	TaskType           string   `json:"task_type"` // simple, complex or critical
	Risk               Risk     `json:"risk"`
	Route              Routing  `json:"route"`
	Floor              Floor    `json:"floor"`
	Language           string   `json:"language"`
	Exclusions         []string `json:"exclusions"`
	Normalization      []string `json:"normalization"`
	InjectionSuspected bool     `json:"injection_suspected"`

	Raw json.RawMessage `json:"-"`
}

// Floor is the risk and approval the rules fix for a request.
type Floor struct {
	Risk             string  `json:"risk"`
	Score            float64 `json:"score"`
	RequiresApproval bool    `json:"requires_approval"`
}

// Router classifies free-text IT requests with rules, in microseconds and without a model. It is
// immutable: any number of goroutines may call Route at once. Close it when done.
type Router struct {
	mu  sync.RWMutex
	ptr *C.opsgraph_router
}

// NewRouter loads and compiles the rules. A rules file that cannot be read is ErrNotFound; one
// that is not valid is ErrInvalidArgument.
func NewRouter(options RouterOptions) (*Router, error) {
	if err := checkABI(); err != nil {
		return nil, err
	}
	if err := checkText("rules path", options.RulesPath); err != nil {
		return nil, err
	}
	var copts C.opsgraph_router_options
	if err := call(func() C.opsgraph_status {
		return C.opsgraph_router_options_init(&copts, C.sizeof_opsgraph_router_options)
	}); err != nil {
		return nil, err
	}
	copts.rules_path = cOptional(options.RulesPath)
	defer freeString(copts.rules_path)
	if options.MaxRequestBytes > 0 {
		copts.max_request_bytes = C.size_t(options.MaxRequestBytes)
	}
	if options.MaxContextBytes > 0 {
		copts.max_context_bytes = C.size_t(options.MaxContextBytes)
	}
	r := &Router{}
	if err := call(func() C.opsgraph_status { return C.opsgraph_router_create(&copts, &r.ptr) }); err != nil {
		return nil, err
	}
	return r, nil
}

// Route classifies one request; hints may be nil.
func (r *Router) Route(request string, hints *RouteHints) (*RouteDecision, error) {
	if err := checkText("request", request); err != nil {
		return nil, err
	}
	crequest := cString(request)
	defer freeString(crequest)
	var chints *C.char
	if hints != nil {
		var err error
		if chints, err = jsonArg(hints); err != nil {
			return nil, err
		}
		defer freeString(chints)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.ptr == nil {
		return nil, ErrClosed
	}
	out, err := callJSON(func(out **C.char) C.opsgraph_status {
		return C.opsgraph_router_route(r.ptr, crequest, chints, out)
	})
	if err != nil {
		return nil, err
	}
	var d RouteDecision
	if err := json.Unmarshal(out, &d); err != nil {
		return nil, &Error{Code: StatusInternal, Message: "decoding a route decision: " + err.Error()}
	}
	d.Raw = out
	return &d, nil
}

// Close frees the router once no Route call is running; later calls return ErrClosed.
func (r *Router) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	C.opsgraph_router_destroy(r.ptr)
	r.ptr = nil
	return nil
}

var defaultRouter struct {
	once   sync.Once
	router *Router
	err    error
}

// Route classifies request with the built-in rules (a Router made once, on first use).
func Route(request string) (*RouteDecision, error) {
	defaultRouter.once.Do(func() { defaultRouter.router, defaultRouter.err = NewRouter(RouterOptions{}) })
	if defaultRouter.err != nil {
		return nil, defaultRouter.err
	}
	return defaultRouter.router.Route(request, nil)
}
