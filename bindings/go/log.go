package opsgraph

/*
#include <opsgraph.h>
#include "callbacks.h"
*/
import "C"

import (
	"fmt"
	"log"
	"runtime/cgo"
	"sort"
	"strings"
)

// LogLevel is the severity of a log record.
type LogLevel int

// The log levels; LogOff is only a threshold.
const (
	LogTrace LogLevel = C.OPSGRAPH_LOG_TRACE
	LogDebug LogLevel = C.OPSGRAPH_LOG_DEBUG
	LogInfo  LogLevel = C.OPSGRAPH_LOG_INFO
	LogWarn  LogLevel = C.OPSGRAPH_LOG_WARN
	LogError LogLevel = C.OPSGRAPH_LOG_ERROR
	LogOff   LogLevel = C.OPSGRAPH_LOG_OFF
)

func (l LogLevel) String() string {
	switch l {
	case LogTrace:
		return "trace"
	case LogDebug:
		return "debug"
	case LogInfo:
		return "info"
	case LogWarn:
		return "warn"
	case LogError:
		return "error"
	case LogOff:
		return "off"
	}
	return fmt.Sprintf("LogLevel(%d)", int(l))
}

// LogRecord is one log record of opsgraph.
type LogRecord struct {
	Level     LogLevel
	Component string
	Message   string
	Fields    map[string]string
}

type logger struct{ fn func(LogRecord) }

// SetLogFunc routes the log records of engines, routers and checkers created after it at min or
// above to fn, process-wide (until it is first called, warn and above go to stderr); nil
// discards every record. An engine keeps the function that was set when it was created.
//
// fn is called synchronously, on the goroutine whose opsgraph call logs or on an engine thread,
// never for two records at once. It must not call SetLogFunc nor an Engine's methods, and should
// not call other opsgraph functions.
func SetLogFunc(min LogLevel, fn func(LogRecord)) error {
	if err := checkABI(); err != nil {
		return err
	}
	var h cgo.Handle
	if fn != nil {
		h = cgo.NewHandle(&logger{fn: fn})
	}
	err := call(func() C.opsgraph_status { return C.opsgraphgo_log_set_callback(C.int(min), C.uintptr_t(h)) })
	if err != nil && h != 0 {
		h.Delete() // on failure nothing changes and no destroy is called
	}
	return err
}

// StdLogger is a SetLogFunc function that prints each record to l (log.Default() when nil) as
// "opsgraph warn engine: message key=value ...".
func StdLogger(l *log.Logger) func(LogRecord) {
	if l == nil {
		l = log.Default()
	}
	return func(r LogRecord) {
		var b strings.Builder
		fmt.Fprintf(&b, "opsgraph %s %s: %s", r.Level, r.Component, r.Message)
		keys := make([]string, 0, len(r.Fields))
		for k := range r.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%q", k, r.Fields[k])
		}
		l.Print(b.String())
	}
}
