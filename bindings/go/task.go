package opsgraph

import (
	"encoding/json"
	"time"
)

// TaskStatus is where a task is in its life (docs/engine.md).
type TaskStatus string

// The task statuses. The last four are final.
const (
	TaskQueued          TaskStatus = "queued"
	TaskInProgress      TaskStatus = "in_progress"
	TaskWaitingApproval TaskStatus = "waiting_approval"
	TaskCompleted       TaskStatus = "completed"
	TaskFailed          TaskStatus = "failed"
	TaskRejected        TaskStatus = "rejected"
	TaskCancelled       TaskStatus = "cancelled"
)

// Final reports whether the status never changes again (except failed, which Retry requeues).
func (s TaskStatus) Final() bool {
	return s == TaskCompleted || s == TaskFailed || s == TaskRejected || s == TaskCancelled
}

// Request is what Execute stores as a new task. Only Request is required.
type Request struct {
	Request         string         `json:"request"`                    // 1 B to 16 KiB
	RequireApproval bool           `json:"require_approval,omitempty"` // adds a gate, never removes one
	Context         map[string]any `json:"context,omitempty"`          // ≤ 32 keys; string, number or bool values
	Language        string         `json:"language,omitempty"`         // powershell, bash, python or azurecli
	Requester       string         `json:"requester,omitempty"`
	IdempotencyKey  string         `json:"idempotency_key,omitempty"`
}

// Approval decides a gate for the task. Hash is what the approver saw: optional at plan_review
// (the current plan is meant), required at script_review.
type Approval struct {
	Actor   string `json:"actor,omitempty"`
	Comment string `json:"comment,omitempty"`
	Hash    string `json:"hash,omitempty"`
}

// Rejection ends the task rejected at the gate it waits at.
type Rejection struct {
	Actor  string `json:"actor,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ListQuery selects one page of tasks, newest first. Zero values mean "any" (Limit 0: 50).
type ListQuery struct {
	Statuses  []TaskStatus `json:"statuses,omitempty"`
	Requester string       `json:"requester,omitempty"`
	Limit     int          `json:"limit,omitempty"` // 1..1000
	Cursor    string       `json:"cursor,omitempty"`
}

// TaskPage is one page of List; NextCursor is "" on the last page.
type TaskPage struct {
	Tasks      []Task `json:"tasks"`
	NextCursor string `json:"next_cursor"`
}

// Task is a task record as the engine hands it out (the TaskSnapshot of docs/engine.md). The
// common fields are typed; Raw holds the whole JSON document, for fields not mirrored here and
// fields that later library versions add.
type Task struct {
	ID              string         `json:"task_id"`
	Status          TaskStatus     `json:"status"`
	Stage           string         `json:"stage"`
	Request         string         `json:"request"`
	Context         map[string]any `json:"context"`
	Requester       string         `json:"requester"`
	Language        string         `json:"language"`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
	Version         int64          `json:"version"`
	Risk            *Risk          `json:"risk"`
	Route           *Routing       `json:"route"`
	Plan            *Plan          `json:"plan"`
	Diagnosis       *Diagnosis     `json:"diagnosis"`
	Script          *Script        `json:"script"`
	AutomationNote  string         `json:"automation_note"`
	Email           *Email         `json:"email"`
	EmailDraft      string         `json:"email_draft"`
	Summary         string         `json:"summary"`
	ReportMarkdown  string         `json:"report_markdown"`
	ActionItems     []ActionItem   `json:"action_items"`
	Approvals       []Decision     `json:"approvals"`
	Error           *TaskError     `json:"error"`
	Usage           *TaskUsage     `json:"usage"`
	DurationSeconds float64        `json:"duration_seconds"`

	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the typed fields and keeps the whole document in Raw.
func (t *Task) UnmarshalJSON(data []byte) error {
	type plain Task
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*t = Task(p)
	t.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Risk is a task's or a route decision's risk: level low, medium or high and a 0..1 score.
type Risk struct {
	Level   string   `json:"level"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Reason is one rule that raised the risk.
type Reason struct {
	Rule   string `json:"rule"`
	Detail string `json:"detail"`
}

// Routing is the category, agents and complexity of a task, and whether a human approves its plan.
type Routing struct {
	Category         string     `json:"category"`
	RequiredAgents   []string   `json:"required_agents"`
	Complexity       Complexity `json:"complexity"`
	RequiresApproval bool       `json:"requires_approval"`
}

// Complexity is a level (low, medium, high) and a 0..1 score.
type Complexity struct {
	Level string  `json:"level"`
	Score float64 `json:"score"`
}

// Plan is the planner's plan; Hash names it in an Approval.
type Plan struct {
	Steps       []string   `json:"steps"`
	StepDetails []PlanStep `json:"step_details"`
	Summary     string     `json:"summary"`
	Hash        string     `json:"hash"`
}

// PlanStep is one step of a plan and the steps it depends on.
type PlanStep struct {
	StepNumber  int    `json:"step_number"`
	Agent       string `json:"agent"`
	Description string `json:"description"`
	DependsOn   []int  `json:"depends_on"`
}

// Diagnosis is the read-only diagnostic agent's finding.
type Diagnosis struct {
	Problem            string     `json:"problem"`
	ProblemIdentified  bool       `json:"problem_identified"`
	RootCause          string     `json:"root_cause"`
	Evidence           []string   `json:"evidence"`
	Solutions          []Solution `json:"solutions"`
	Confidence         float64    `json:"confidence"`
	AffectedComponents []string   `json:"affected_components"`
}

// Solution is one ranked remedy of a diagnosis.
type Solution struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Steps       []string `json:"steps"`
	Confidence  string   `json:"confidence"`
	Score       float64  `json:"score"`
}

// Script is the automation agent's script with its check report; Hash names it in an Approval
// at script_review.
type Script struct {
	Language          string    `json:"language"`
	Code              string    `json:"code"`
	RollbackCode      string    `json:"rollback_code"`
	VerificationSteps []string  `json:"verification_steps"`
	RequiresElevation bool      `json:"requires_elevation"`
	LintPassed        bool      `json:"lint_passed"`
	Syntax            Syntax    `json:"syntax"`
	Findings          []Finding `json:"findings"`
	LintTool          string    `json:"lint_tool"`
	Attempts          int       `json:"attempts"`
	Hash              string    `json:"hash"`
}

// Email is the writer's email.
type Email struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// ActionItem is one follow-up the writer lists.
type ActionItem struct {
	Description string `json:"description"`
	Owner       string `json:"owner"`
	Due         string `json:"due"`
	Priority    string `json:"priority"`
}

// Decision is one recorded approval or rejection of a gate.
type Decision struct {
	Gate     string    `json:"gate"`
	Decision string    `json:"decision"`
	Actor    string    `json:"actor"`
	At       time.Time `json:"at"`
	Hash     string    `json:"hash"`
	Comment  string    `json:"comment"`
	Reason   string    `json:"reason"`
}

// TaskError is why a task failed. Code is a status name such as "timeout".
type TaskError struct {
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Retryable bool            `json:"retryable"`
	Node      string          `json:"node"`
	Attempts  int             `json:"attempts"`
	Details   json.RawMessage `json:"details"`
}

// TaskUsage is the model usage over a task's life.
type TaskUsage struct {
	LLMCalls         int     `json:"llm_calls"`
	PromptTokens     int64   `json:"prompt_tokens"`
	CompletionTokens int64   `json:"completion_tokens"`
	LLMSeconds       float64 `json:"llm_seconds"`
}
