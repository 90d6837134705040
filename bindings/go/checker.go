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

// ToolDisabled, as a CheckerOptions tool path, turns that tool off.
const ToolDisabled = "-"

// CheckerOptions configures NewChecker; the zero value is the defaults. A tool path "" finds the
// tool on PATH, ToolDisabled turns it off, anything else is that program.
type CheckerOptions struct {
	RulesPath      string // a rule file (docs/safety.md); "" for the built-in rules
	BashPath       string
	PythonPath     string
	ShellcheckPath string
	PwshPath       string
	ToolTimeoutMs  int // how long one tool may run; 0: 10000
	MaxScriptBytes int // longer scripts are ErrPayloadTooLarge; 0: 1 MiB
}

// CheckReport is the syntax, lint and security findings of a script (docs/safety.md). Raw holds
// the whole JSON document.
type CheckReport struct {
	Language   string    `json:"language"`
	LintPassed bool      `json:"lint_passed"`
	Syntax     Syntax    `json:"syntax"`
	Findings   []Finding `json:"findings"`
	LintTool   string    `json:"lint_tool"`

	Raw json.RawMessage `json:"-"`
}

// Syntax is the parser's verdict on a script.
type Syntax struct {
	OK             bool          `json:"ok"`
	Checker        string        `json:"checker"` // "bash -n", "python ast", "pwsh", "structural" or "none"
	StructuralOnly bool          `json:"structural_only"`
	Errors         []SyntaxError `json:"errors"`
}

// SyntaxError is one parse error; line and column are 1-based (0 when unknown).
type SyntaxError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Finding is one security or lint finding; Severity is info, low, medium, high or critical.
type Finding struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Severity string `json:"severity"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Excerpt  string `json:"excerpt"`
	Message  string `json:"message"`
}

// Checker finds syntax errors, lint and dangerous constructs in scripts without running them.
// It is immutable: any number of goroutines may use it at once. Close it when done.
type Checker struct {
	mu  sync.RWMutex
	ptr *C.opsgraph_checker
}

func toolPath(path string) *C.char {
	switch path {
	case "":
		return nil
	case ToolDisabled:
		return cString("")
	default:
		return cString(path)
	}
}

// NewChecker loads the rules and resolves the tools once.
func NewChecker(options CheckerOptions) (*Checker, error) {
	if err := checkABI(); err != nil {
		return nil, err
	}
	if err := checkText("checker option", options.RulesPath, options.BashPath, options.PythonPath,
		options.ShellcheckPath, options.PwshPath); err != nil {
		return nil, err
	}
	var copts C.opsgraph_checker_options
	if err := call(func() C.opsgraph_status {
		return C.opsgraph_checker_options_init(&copts, C.sizeof_opsgraph_checker_options)
	}); err != nil {
		return nil, err
	}
	copts.rules_path = cOptional(options.RulesPath)
	copts.bash_path = toolPath(options.BashPath)
	copts.python_path = toolPath(options.PythonPath)
	copts.shellcheck_path = toolPath(options.ShellcheckPath)
	copts.pwsh_path = toolPath(options.PwshPath)
	defer func() {
		for _, s := range []*C.char{copts.rules_path, copts.bash_path, copts.python_path,
			copts.shellcheck_path, copts.pwsh_path} {
			freeString(s)
		}
	}()
	if options.ToolTimeoutMs > 0 {
		copts.tool_timeout_ms = C.uint32_t(options.ToolTimeoutMs)
	}
	if options.MaxScriptBytes > 0 {
		copts.max_script_bytes = C.size_t(options.MaxScriptBytes)
	}
	c := &Checker{}
	if err := call(func() C.opsgraph_status { return C.opsgraph_checker_create(&copts, &c.ptr) }); err != nil {
		return nil, err
	}
	return c, nil
}

// run calls check or scan on the script.
func (c *Checker) run(script, language string,
	f func(*C.opsgraph_checker, *C.char, *C.char, **C.char) C.opsgraph_status) ([]byte, error) {
	if err := checkText("script or language", script, language); err != nil {
		return nil, err
	}
	cscript := cString(script)
	defer freeString(cscript)
	clanguage := cString(language)
	defer freeString(clanguage)
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return nil, ErrClosed
	}
	return callJSON(func(out **C.char) C.opsgraph_status { return f(c.ptr, cscript, clanguage, out) })
}

// Check returns the syntax, lint and security findings of script in language ("bash",
// "powershell", "python", "azurecli" or an alias: "sh", "pwsh", "py", "az"). It blocks while the
// tools run (at most the tool timeout each).
func (c *Checker) Check(script, language string) (*CheckReport, error) {
	out, err := c.run(script, language, func(p *C.opsgraph_checker, s, l *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_checker_check(p, s, l, out)
	})
	if err != nil {
		return nil, err
	}
	var report CheckReport
	if err := json.Unmarshal(out, &report); err != nil {
		return nil, &Error{Code: StatusInternal, Message: "decoding a check report: " + err.Error()}
	}
	report.Raw = out
	return &report, nil
}

// Scan returns the security findings alone, in script order; it starts no process.
func (c *Checker) Scan(script, language string) ([]Finding, error) {
	out, err := c.run(script, language, func(p *C.opsgraph_checker, s, l *C.char, out **C.char) C.opsgraph_status {
		return C.opsgraph_checker_scan(p, s, l, out)
	})
	if err != nil {
		return nil, err
	}
	var findings struct {
		Findings []Finding `json:"findings"`
	}
	if err := json.Unmarshal(out, &findings); err != nil {
		return nil, &Error{Code: StatusInternal, Message: "decoding findings: " + err.Error()}
	}
	return findings.Findings, nil
}

// Close frees the checker once no call on it is running; later calls return ErrClosed.
func (c *Checker) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	C.opsgraph_checker_destroy(c.ptr)
	c.ptr = nil
	return nil
}

var defaultChecker struct {
	once    sync.Once
	checker *Checker
	err     error
}

// CheckScript checks code in language with the default checker (made once, on first use).
func CheckScript(code, language string) (*CheckReport, error) {
	defaultChecker.once.Do(func() { defaultChecker.checker, defaultChecker.err = NewChecker(CheckerOptions{}) })
	if defaultChecker.err != nil {
		return nil, defaultChecker.err
	}
	return defaultChecker.checker.Check(code, language)
}
