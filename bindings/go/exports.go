package opsgraph

// The Go functions opsgraph's callbacks reach through the trampolines of callbacks.c. This
// file's preamble holds declarations only, as cgo requires of a file with //export.

/*
#include <stdint.h>
#include <opsgraph.h>
*/
import "C"

import (
	"encoding/json"
	"runtime/cgo"
)

// opsgraphGoChat must return quickly (it runs on an engine thread): the provider runs on a
// goroutine that answers through the reply token. request_json lives only for this call.
//
//export opsgraphGoChat
func opsgraphGoChat(requestJSON *C.char, reply *C.opsgraph_reply, handle C.uintptr_t) {
	p := cgo.Handle(handle).Value().(*goProvider)
	request := C.GoString(requestJSON)
	go p.serve(request, reply)
}

//export opsgraphGoEvent
func opsgraphGoEvent(eventJSON *C.char, handle C.uintptr_t) {
	s := cgo.Handle(handle).Value().(*subscriber)
	var event Event
	if err := json.Unmarshal([]byte(C.GoString(eventJSON)), &event); err != nil {
		return // never: opsgraph writes every event with this schema
	}
	s.fn(event)
}

//export opsgraphGoLog
func opsgraphGoLog(level C.int, component, message, fieldsJSON *C.char, handle C.uintptr_t) {
	l := cgo.Handle(handle).Value().(*logger)
	record := LogRecord{Level: LogLevel(level), Component: C.GoString(component),
		Message: C.GoString(message)}
	if fields := C.GoString(fieldsJSON); fields != "" && fields != "{}" {
		_ = json.Unmarshal([]byte(fields), &record.Fields)
	}
	l.fn(record)
}

// opsgraphGoRelease is every callback's destroy function: opsgraph no longer needs the handle.
//
//export opsgraphGoRelease
func opsgraphGoRelease(handle C.uintptr_t) {
	h := cgo.Handle(handle)
	if r, ok := h.Value().(interface{ release() }); ok {
		r.release()
	}
	h.Delete()
}
