// Package opsgraph is the Go binding of opsgraph, an engine for LLM-driven IT task automation:
// it routes a free-text IT request, plans, holds risky work for a human's approval, diagnoses,
// writes and checks a script, writes an email and keeps a durable task record with an audit
// trail. It wraps the C ABI (libopsgraph_c, opsgraph.h) through cgo and finds it with
// pkg-config (package "opsgraph").
//
// An Engine runs tasks on threads of its own; its methods may be called from any goroutine.
// Errors are *Error values that match sentinels such as ErrNotFound and ErrConflict with
// errors.Is. A Provider written in Go can stand in for the model. See docs/go.md.
package opsgraph

/*
#cgo pkg-config: opsgraph
#include <stdlib.h>
#include <string.h>
#include <opsgraph.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// ABIVersion is the ABI major this package was built against (OPSGRAPH_ABI_VERSION).
const ABIVersion = int(C.OPSGRAPH_ABI_VERSION)

// Version is the opsgraph library's version, e.g. "0.1.0".
func Version() string { return C.GoString(C.opsgraph_version()) }

var (
	abiOnce sync.Once
	abiErr  error
)

// checkABI fails when the loaded libopsgraph_c has another ABI major than opsgraph.h had when
// this package was compiled. Every constructor calls it.
func checkABI() error {
	abiOnce.Do(func() {
		if got := int(C.opsgraph_abi_version()); got != ABIVersion {
			abiErr = &Error{Code: StatusInternal, Message: fmt.Sprintf(
				"libopsgraph_c has ABI version %d; this package needs %d (rebuild it against the "+
					"installed opsgraph.h)", got, ABIVersion)}
		}
	})
	return abiErr
}

// call runs one status-returning C call and, when it fails, reads the last error on the same OS
// thread (the last error is thread-local, and a goroutine may otherwise move between threads
// between two cgo calls).
func call(f func() C.opsgraph_status) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if status := f(); status != C.OPSGRAPH_OK {
		return lastError(Status(status))
	}
	return nil
}

// callJSON runs a C call that hands out a JSON string and returns a Go copy of it.
func callJSON(f func(out **C.char) C.opsgraph_status) ([]byte, error) {
	var out *C.char
	err := call(func() C.opsgraph_status { return f(&out) })
	defer C.opsgraph_string_free(out)
	if err != nil {
		return nil, err
	}
	return C.GoBytes(unsafe.Pointer(out), C.int(C.strlen(out))), nil
}

// cString is a C copy of s, to be freed with freeString. C would cut a string at a NUL byte,
// so callers refuse those first with checkText.
func cString(s string) *C.char { return C.CString(s) }

// checkText refuses a text argument that C would see cut short at a NUL byte.
func checkText(what string, values ...string) error {
	for _, v := range values {
		if strings.IndexByte(v, 0) >= 0 {
			return &Error{Code: StatusInvalidArgument, Message: what + " contains a NUL byte"}
		}
	}
	return nil
}

func freeString(s *C.char) { C.free(unsafe.Pointer(s)) }

// cOptional is NULL for "" and a C copy of s otherwise.
func cOptional(s string) *C.char {
	if s == "" {
		return nil
	}
	return C.CString(s)
}
