package opsgraph

/*
#include <opsgraph.h>
*/
import "C"

import (
	"encoding/json"
	"fmt"
)

// Status is an opsgraph status code (opsgraph_status): the values are pinned forever. Newer
// libraries may add values; String gives "unknown" for those.
type Status int

// The status codes of opsgraph.h, one to one.
const (
	StatusOK                    Status = 0   // Success.
	StatusInvalidArgument       Status = 1   // The input is malformed or out of range.
	StatusNotFound              Status = 2   // The named task, run, key or file does not exist.
	StatusConflict              Status = 3   // Wrong state for the call, or a lost race.
	StatusUnauthorized          Status = 4   // No credentials, or unrecognised ones.
	StatusPermissionDenied      Status = 5   // Recognised credentials that may not do this.
	StatusPayloadTooLarge       Status = 6   // Input over a configured size limit.
	StatusUnsupportedMediaType  Status = 7   // Input in a format opsgraph does not accept.
	StatusRateLimited           Status = 8   // Too many calls; retry after the advertised delay.
	StatusTimeout               Status = 9   // Work took longer than its deadline.
	StatusCancelled             Status = 10  // The caller (or a shutdown) cancelled the work.
	StatusUpstreamUnavailable   Status = 11  // An LLM or other upstream could not be reached.
	StatusBadResponse           Status = 12  // An upstream answered with something unusable.
	StatusContextTooLong        Status = 13  // A prompt exceeded the model's context window.
	StatusContentFiltered       Status = 14  // The upstream refused the content.
	StatusStorage               Status = 15  // The task store or checkpointer failed.
	StatusInternal              Status = 16  // A bug in opsgraph: an invariant did not hold.
	StatusNullArgument          Status = 100 // A required pointer argument was NULL.
	StatusInvalidHandle         Status = 101 // A handle of the wrong kind, or not from opsgraph.
	StatusInvalidUTF8           Status = 102 // A text argument is not valid UTF-8.
	StatusOutOfMemory           Status = 103 // An allocation failed.
	StatusUnsupportedStructSize Status = 104 // An option struct's size is not one known.
)

// String is the status's stable snake_case name, e.g. "not_found".
func (s Status) String() string { return C.GoString(C.opsgraph_status_string(C.int(s))) }

// Error is a failed opsgraph call: its status, a message for a person, whether the same call may
// succeed if tried again unchanged, and structured details (a JSON object, possibly empty).
//
// errors.Is(err, ErrNotFound) and the other sentinels compare the Code alone.
type Error struct {
	Code      Status
	Message   string
	Retryable bool
	Details   json.RawMessage
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "opsgraph: " + e.Code.String()
	}
	return fmt.Sprintf("opsgraph: %s: %s", e.Code, e.Message)
}

// Is reports whether target is a sentinel (an *Error without a message) of the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is. Only their Code is compared.
var (
	ErrInvalidArgument      = &Error{Code: StatusInvalidArgument}
	ErrNotFound             = &Error{Code: StatusNotFound}
	ErrConflict             = &Error{Code: StatusConflict}
	ErrUnauthorized         = &Error{Code: StatusUnauthorized}
	ErrPermissionDenied     = &Error{Code: StatusPermissionDenied}
	ErrPayloadTooLarge      = &Error{Code: StatusPayloadTooLarge}
	ErrUnsupportedMediaType = &Error{Code: StatusUnsupportedMediaType}
	ErrRateLimited          = &Error{Code: StatusRateLimited}
	ErrTimeout              = &Error{Code: StatusTimeout}
	ErrCancelled            = &Error{Code: StatusCancelled}
	ErrUpstreamUnavailable  = &Error{Code: StatusUpstreamUnavailable}
	ErrBadResponse          = &Error{Code: StatusBadResponse}
	ErrContextTooLong       = &Error{Code: StatusContextTooLong}
	ErrContentFiltered      = &Error{Code: StatusContentFiltered}
	ErrStorage              = &Error{Code: StatusStorage}
	ErrInternal             = &Error{Code: StatusInternal}
	ErrInvalidUTF8          = &Error{Code: StatusInvalidUTF8}
	ErrOutOfMemory          = &Error{Code: StatusOutOfMemory}

	// ErrClosed is returned by the methods of an Engine, Router or Checker after Close.
	ErrClosed = &Error{Code: StatusInvalidHandle, Message: "already closed"}
)

// lastError copies the calling thread's last error; status is what the call returned, used when
// the last error disagrees (it never should).
func lastError(status Status) *Error {
	e := C.opsgraph_last_error()
	err := &Error{Code: Status(e.code), Retryable: e.retryable != 0, Message: C.GoString(e.message)}
	if err.Code == StatusOK {
		err.Code = status
	}
	if e.details_json != nil {
		if details := C.GoString(e.details_json); details != "" {
			err.Details = json.RawMessage(details)
		}
	}
	return err
}
