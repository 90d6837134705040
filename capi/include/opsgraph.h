/*
 * opsgraph.h — the C ABI of opsgraph (libopsgraph_c): C99, parseable by cffi (no macros inside
 * declarations). Handles are opaque and of distinct types; rich data crosses as UTF-8 JSON text
 * carrying a "schema_version" member; every fallible call returns an opsgraph_status and, on
 * failure, leaves the details in the calling thread's last error (opsgraph_last_error()).
 *
 * Ownership: a char * that opsgraph hands out is the caller's and is freed with
 * opsgraph_string_free(); a handle is freed with its _destroy(). Every free and destroy accepts
 * NULL. Strings opsgraph returns as const char * belong to opsgraph (see each function).
 *
 * Threading: every function may be called from any thread. A router and a checker are immutable
 * after creation and may be used by many threads at once; destroy one only when no other call on
 * it is running. The last error is per thread.
 *
 * Compatibility: status values, struct layouts and signatures never change within an ABI major
 * (OPSGRAPH_ABI_VERSION, the shared library's SOVERSION); new functions, new status values and
 * new fields at the end of option structs are added without a new major. See docs/c-api.md.
 */
#ifndef OPSGRAPH_H
#define OPSGRAPH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versions ------------------------------------------------------------------------------ */

#define OPSGRAPH_VERSION_MAJOR 0
#define OPSGRAPH_VERSION_MINOR 1
#define OPSGRAPH_VERSION_PATCH 0
#define OPSGRAPH_VERSION_STRING "0.1.0"
/* The ABI major: the SOVERSION of libopsgraph_c. Compare it with opsgraph_abi_version(). */
#define OPSGRAPH_ABI_VERSION 1
/* The "schema_version" member of every JSON document this header's functions return. */
#define OPSGRAPH_JSON_SCHEMA_VERSION 1

/* The library's version, e.g. "0.1.0" (static storage; never free it). */
const char* opsgraph_version(void);
/* The library's ABI major; a program built against this header needs OPSGRAPH_ABI_VERSION. */
int opsgraph_abi_version(void);

/* ---- Status codes and the last error --------------------------------------------------------
 * Values are pinned forever. 1..16 are opsgraph's error kinds (opsgraph::errc) one-to-one; 100
 * and up are raised only at the C boundary. Unknown values may appear in newer libraries: treat
 * them as failures and use opsgraph_status_string(). */
typedef enum opsgraph_status {
  OPSGRAPH_OK = 0,                       /* Success. */
  OPSGRAPH_INVALID_ARGUMENT = 1,         /* The input is malformed or out of range. */
  OPSGRAPH_NOT_FOUND = 2,                /* The named task, run, key or file does not exist. */
  OPSGRAPH_CONFLICT = 3,                 /* Wrong state for the call, or a lost race. */
  OPSGRAPH_UNAUTHORIZED = 4,             /* No credentials, or unrecognised ones. */
  OPSGRAPH_PERMISSION_DENIED = 5,        /* Recognised credentials that may not do this. */
  OPSGRAPH_PAYLOAD_TOO_LARGE = 6,        /* Input over a configured size limit. */
  OPSGRAPH_UNSUPPORTED_MEDIA_TYPE = 7,   /* Input in a format opsgraph does not accept. */
  OPSGRAPH_RATE_LIMITED = 8,             /* Too many calls; retry after the advertised delay. */
  OPSGRAPH_TIMEOUT = 9,                  /* Work took longer than its deadline. */
  OPSGRAPH_CANCELLED = 10,               /* The caller (or a shutdown) cancelled the work. */
  OPSGRAPH_UPSTREAM_UNAVAILABLE = 11,    /* An LLM or other upstream could not be reached. */
  OPSGRAPH_BAD_RESPONSE = 12,            /* An upstream answered with something unusable. */
  OPSGRAPH_CONTEXT_TOO_LONG = 13,        /* A prompt exceeded the model's context window. */
  OPSGRAPH_CONTENT_FILTERED = 14,        /* The upstream refused the content. */
  OPSGRAPH_STORAGE = 15,                 /* The task store or checkpointer failed. */
  OPSGRAPH_INTERNAL = 16,                /* A bug in opsgraph: an invariant did not hold. */
  OPSGRAPH_NULL_ARGUMENT = 100,          /* A required pointer argument was NULL. */
  OPSGRAPH_INVALID_HANDLE = 101,         /* A handle of the wrong kind, or not from opsgraph. */
  OPSGRAPH_INVALID_UTF8 = 102,           /* A text argument is not valid UTF-8. */
  OPSGRAPH_OUT_OF_MEMORY = 103,          /* An allocation failed. */
  OPSGRAPH_UNSUPPORTED_STRUCT_SIZE = 104 /* An option struct's struct_size is not one known. */
} opsgraph_status;

/* The stable snake_case name of `status` (an opsgraph_status), e.g. "invalid_argument";
 * "unknown" for any other value (static storage; never free it). */
const char* opsgraph_status_string(int status);

/* The calling thread's last error. Every function that returns an opsgraph_status resets it on
 * entry and fills it when it fails. The library may append fields in later versions. */
typedef struct opsgraph_error {
  opsgraph_status code;     /* OPSGRAPH_OK when the last call succeeded. */
  int retryable;            /* 1 when the same call may succeed if tried again unchanged. */
  const char* message;      /* What went wrong, for a person; "" on success. */
  const char* details_json; /* A JSON object with "schema_version" and structured details. */
} opsgraph_error;

/* The calling thread's last error; never NULL. The struct and its strings belong to opsgraph and
 * stay valid until the next status-returning opsgraph call on the same thread. */
const opsgraph_error* opsgraph_last_error(void);

/* ---- Strings ------------------------------------------------------------------------------- */

/* Frees a string returned through a char ** out-parameter. NULL is accepted. */
void opsgraph_string_free(char* string);

/* ---- Logging ------------------------------------------------------------------------------- */

typedef enum opsgraph_log_level {
  OPSGRAPH_LOG_TRACE = 0,
  OPSGRAPH_LOG_DEBUG = 1,
  OPSGRAPH_LOG_INFO = 2,
  OPSGRAPH_LOG_WARN = 3,
  OPSGRAPH_LOG_ERROR = 4,
  OPSGRAPH_LOG_OFF = 5 /* Only a threshold: nothing is logged at it. */
} opsgraph_log_level;

/* Receives one log record. `component` and `message` are UTF-8; `fields_json` is a JSON object
 * of string members. All three live only for the duration of the call. Called synchronously on
 * the thread that made the opsgraph call which logs (for an engine, often one of its threads),
 * never for two records at once; it must not call opsgraph_log_set_callback() nor an engine's
 * functions. */
typedef void (*opsgraph_log_fn)(opsgraph_log_level level, const char* component,
                                const char* message, const char* fields_json, void* user_data);

/* Releases `user_data` once opsgraph no longer needs it. */
typedef void (*opsgraph_destroy_fn)(void* user_data);

/* Routes the records of opsgraph objects created through this ABI at `min_level` (an
 * opsgraph_log_level; OPSGRAPH_INVALID_ARGUMENT for any other value) or above to
 * `callback` (process-wide; until it is called, records at warn and above go to stderr). A NULL
 * callback discards all records. The previous callback's destroy function is called, on this
 * thread or on the thread finishing a record with it, once no record is in flight and no engine
 * created while it was set remains (an engine keeps the logger of its creation). On failure
 * nothing changes and `destroy` is not called. */
opsgraph_status opsgraph_log_set_callback(int min_level, opsgraph_log_fn callback, void* user_data,
                                          opsgraph_destroy_fn destroy);

/* ---- Router: classifies a free-text IT request, its risk and whether a human approves ------ */

typedef struct opsgraph_router opsgraph_router;

typedef struct opsgraph_router_options {
  size_t struct_size;       /* Set by opsgraph_router_options_init(). */
  const char* rules_path;   /* A rule file (docs/router.md); NULL or "" for the built-in rules. */
  size_t max_request_bytes; /* Longest request text; default 16 KiB. */
  size_t max_context_bytes; /* Most bytes of context strings scanned; default 16 KiB. */
} opsgraph_router_options;

/* Fills `options` with the defaults; pass sizeof(*options) as `struct_size`. */
opsgraph_status opsgraph_router_options_init(opsgraph_router_options* options, size_t struct_size);

/* Loads and compiles the rules. `options` may be NULL for the defaults. A rules file that cannot
 * be read is OPSGRAPH_NOT_FOUND; one that is not valid is OPSGRAPH_INVALID_ARGUMENT. */
opsgraph_status opsgraph_router_create(const opsgraph_router_options* options,
                                       opsgraph_router** router_out);

/* Routes one request. `hints_json` is NULL or an object with the optional members
 * "require_approval" (bool), "language" (string) and "context" (object). On success
 * `*decision_json_out` is a RouteDecision JSON object with "schema_version" (free it with
 * opsgraph_string_free()); on failure it is set to NULL. */
opsgraph_status opsgraph_router_route(const opsgraph_router* router, const char* request_utf8,
                                      const char* hints_json, char** decision_json_out);

/* Frees the router. NULL is accepted. */
void opsgraph_router_destroy(opsgraph_router* router);

/* ---- Script checker: syntax, lint and security findings of a script, without running it ---- */

typedef struct opsgraph_checker opsgraph_checker;

/* Tool paths: NULL finds the tool on PATH, "" disables it, anything else is that program. */
typedef struct opsgraph_checker_options {
  size_t struct_size;     /* Set by opsgraph_checker_options_init(). */
  const char* rules_path; /* A rule file (docs/safety.md); NULL or "" for the built-in. */
  const char* bash_path;
  const char* python_path;
  const char* shellcheck_path;
  const char* pwsh_path;
  uint32_t tool_timeout_ms; /* How long one tool may run; default 10000, must be > 0. */
  size_t max_script_bytes;  /* Longer scripts are OPSGRAPH_PAYLOAD_TOO_LARGE; default 1 MiB. */
} opsgraph_checker_options;

/* Fills `options` with the defaults; pass sizeof(*options) as `struct_size`. */
opsgraph_status opsgraph_checker_options_init(opsgraph_checker_options* options,
                                              size_t struct_size);

/* Loads the rules and resolves the tools once. `options` may be NULL for the defaults. */
opsgraph_status opsgraph_checker_create(const opsgraph_checker_options* options,
                                        opsgraph_checker** checker_out);

/* Syntax, lint and security findings of `script_utf8` in `language` ("bash", "powershell",
 * "python", "azurecli" or an alias such as "sh", "pwsh", "py", "az"). Blocks while the tools
 * run. On success `*report_json_out` is a CheckReport JSON object with "schema_version"; on
 * failure it is set to NULL. */
opsgraph_status opsgraph_checker_check(const opsgraph_checker* checker, const char* script_utf8,
                                       const char* language, char** report_json_out);

/* The security findings alone, in script order; starts no process. On success
 * `*findings_json_out` is {"schema_version": 1, "findings": [...]}; on failure NULL. */
opsgraph_status opsgraph_checker_scan(const opsgraph_checker* checker, const char* script_utf8,
                                      const char* language, char** findings_json_out);

/* Frees the checker. NULL is accepted. */
void opsgraph_checker_destroy(opsgraph_checker* checker);

/* ---- Custom LLM provider: a model of your own behind C callbacks ---------------------------
 * Every agent's call to the model becomes one call of your chat function. It receives the
 * request as ChatRequest JSON (what opsgraph's chat codec writes, with "schema_version": model,
 * messages [{role, content}], response_format, temperature, max_tokens, timeout_ms, metadata
 * {task_id, node, agent}, ...) and a reply handle; the answer goes back, now or later and from
 * any thread, through exactly one opsgraph_reply_ok() or opsgraph_reply_error().
 *
 * Threading: the chat function is called on one of the engine's threads, for many calls at once
 * when tasks run in parallel. It must return quickly: hand slow work (a network call) to a thread
 * of your own and reply from there. See "Calls from callbacks" below for what it may call.
 *
 * Lifetime: the provider is shared. An engine created with it keeps it alive, so the handle may be
 * destroyed right after opsgraph_engine_create(); `destroy(user_data)` runs once the handle and
 * every engine using it are gone, on the thread that lets go last. A call the engine cancels (its
 * node timeout, opsgraph_engine_cancel(), destroying the engine) stops waiting at once; the reply
 * that arrives later is still accepted (OPSGRAPH_OK) and dropped. A chat function that never
 * replies costs its call the engine's node timeout (policy.node_timeout_ms). */

typedef struct opsgraph_provider opsgraph_provider;
/* One model call waiting for its answer. A token, never dereferenced by opsgraph and never reused
 * for another call: it stays safe to pass after it was answered (the call then fails). */
typedef struct opsgraph_reply opsgraph_reply;

/* Answers one call: `request_json` lives only for the duration of the call; `reply` is answered
 * exactly once with opsgraph_reply_ok() or opsgraph_reply_error(), from any thread, at any time. */
typedef void (*opsgraph_chat_fn)(const char* request_json, opsgraph_reply* reply, void* user_data);

/* A provider named `name_utf8` (a label in logs and metrics, e.g. "my-model") answering through
 * `chat`. On failure nothing is kept and `destroy` is not called. */
opsgraph_status opsgraph_provider_create(const char* name_utf8, opsgraph_chat_fn chat,
                                         void* user_data, opsgraph_destroy_fn destroy,
                                         opsgraph_provider** provider_out);

/* Lets go of the caller's share of the provider (engines keep theirs). NULL is accepted. */
void opsgraph_provider_destroy(opsgraph_provider* provider);

/* Answers `reply` with `response_json`, a ChatResponse JSON object: {"content": string} plus the
 * optional "finish_reason", "model", "id", "usage" {prompt_tokens, completion_tokens,
 * total_tokens}, "latency_ms", "attempts"; other members are ignored. Errors:
 * OPSGRAPH_INVALID_ARGUMENT (not such an object) and OPSGRAPH_INVALID_UTF8 leave the call waiting
 * for a correct answer; OPSGRAPH_CONFLICT when the call was already answered;
 * OPSGRAPH_INVALID_HANDLE when `reply` never was a reply. OPSGRAPH_OK also when the engine had
 * stopped waiting: the answer is then dropped. */
opsgraph_status opsgraph_reply_ok(opsgraph_reply* reply, const char* response_json);

/* Fails the call with `status` (an opsgraph_status from 1 to 16, e.g. OPSGRAPH_RATE_LIMITED,
 * OPSGRAPH_UPSTREAM_UNAVAILABLE; anything else is OPSGRAPH_INVALID_ARGUMENT and answers nothing),
 * `message_utf8` (NULL for none) and whether trying again may help (`retryable` nonzero: the
 * engine's node retry policy may ask again). Other errors as for opsgraph_reply_ok(). */
opsgraph_status opsgraph_reply_error(opsgraph_reply* reply, int status, const char* message_utf8,
                                     int retryable);

/* ---- Engine: the IT workflow as a service inside your process -------------------------------
 * execute routes, plans, holds for a human when the policy says so, diagnoses, writes and checks
 * a script and writes the email, keeping every task durable in the configured store. Tasks run on
 * the engine's own threads; these functions record and read, and return at once (except wait).
 * Tasks cross as TaskSnapshot JSON (the task object of docs/engine.md, with "schema_version").
 * Errors: OPSGRAPH_NOT_FOUND (no such task), OPSGRAPH_CONFLICT (wrong state for the call),
 * OPSGRAPH_INVALID_ARGUMENT (bad JSON or values), OPSGRAPH_STORAGE (the store failed).
 *
 * Threading: every function may be called from any thread at once, except destroy, which must be
 * the last call on the engine (and never from a callback).
 *
 * Calls from callbacks (a chat function, an event function): they run on the engine's threads, so
 * they must not block on the engine. From inside one, opsgraph_engine_status(), _list(), _events(),
 * _subscribe(), opsgraph_engine_wait() with timeout_ms 0, opsgraph_subscription_destroy() (its own
 * subscription too), opsgraph_reply_ok()/_error() and the router and checker functions are
 * allowed; opsgraph_engine_execute(), _approve(), _reject(), _cancel(), _retry() and a waiting
 * opsgraph_engine_wait() fail at once with OPSGRAPH_CONFLICT instead of deadlocking: hand them to a
 * thread of your own. */

typedef struct opsgraph_engine opsgraph_engine;

typedef struct opsgraph_engine_options {
  size_t struct_size;          /* Set by opsgraph_engine_options_init(). */
  const char* config_json;     /* An engine config (docs/engine.md) as JSON text; NULL: the file
                                * $OPSGRAPH_CONFIG names when the environment applies, else the
                                * defaults (a SQLite file opsgraph.db, OpenAI). */
  opsgraph_provider* provider; /* The model of every agent; NULL: the OpenAI-compatible server of
                                * the config's "provider" member. */
  int ignore_environment;      /* Nonzero: no OPSGRAPH_CONFIG, OPSGRAPH_LLM_BASE_URL,
                                * OPENAI_BASE_URL, OPSGRAPH_LLM_MODEL or OPSGRAPH_STORE overrides
                                * (the API key is still read from provider.api_key_env). */
} opsgraph_engine_options;

/* Fills `options` with the defaults; pass sizeof(*options) as `struct_size`. */
opsgraph_status opsgraph_engine_options_init(opsgraph_engine_options* options, size_t struct_size);

/* Builds the engine the config describes, with the environment's overrides applied as the
 * opsgraph CLI applies them, and starts its worker. `options` may be NULL for the defaults. A
 * config that is not valid is OPSGRAPH_INVALID_ARGUMENT naming the field; a file that cannot be
 * read is OPSGRAPH_NOT_FOUND; a store that cannot be opened is OPSGRAPH_STORAGE. */
opsgraph_status opsgraph_engine_create(const opsgraph_engine_options* options,
                                       opsgraph_engine** engine_out);

/* Stops the engine: tasks it runs are released unfinished (they resume from their last checkpoint
 * under the next engine on the same store); no callback of its subscriptions runs after it returns.
 * Blocks until its threads end. NULL is accepted; called from a callback it does nothing. */
void opsgraph_engine_destroy(opsgraph_engine* engine);

/* Stores a new task, queued, and returns it at once. `request_json`: {"request": string (1 B to
 * 16 KiB), "require_approval"?: bool, "context"?: object (at most 32 string keys with string,
 * number or boolean values), "language"?: "powershell"|"bash"|"python"|"azurecli",
 * "requester"?: string, "idempotency_key"?: string, "schema_version"?: 1}; other members are
 * refused. On success `*task_json_out` is the task (free it with opsgraph_string_free()); on
 * failure it is set to NULL, as for every function below. */
opsgraph_status opsgraph_engine_execute(opsgraph_engine* engine, const char* request_json,
                                        char** task_json_out);

/* Approves the gate the task waits at. `decision_json`: NULL, or {"actor"?: string, "comment"?:
 * string, "hash"?: string} (the hash of what is approved: optional at plan_review, required at
 * script_review). The same decision again returns the task unchanged. OPSGRAPH_CONFLICT when the
 * task is not waiting for approval or the hash is stale. */
opsgraph_status opsgraph_engine_approve(opsgraph_engine* engine, const char* task_id,
                                        const char* decision_json, char** task_json_out);

/* Rejects the gate the task waits at; the task ends rejected. `decision_json`: NULL, or
 * {"actor"?: string, "reason"?: string}. Errors as for opsgraph_engine_approve(). */
opsgraph_status opsgraph_engine_reject(opsgraph_engine* engine, const char* task_id,
                                       const char* decision_json, char** task_json_out);

/* The task as it is now. */
opsgraph_status opsgraph_engine_status(opsgraph_engine* engine, const char* task_id,
                                       char** task_json_out);

/* One page of tasks, newest first. `query_json`: NULL, or {"statuses"?: [status words],
 * "requester"?: string, "limit"?: 1..1000 (default 50), "cursor"?: string}. On success
 * `*page_json_out` is {"schema_version": 1, "tasks": [...], "next_cursor": string|null}. */
opsgraph_status opsgraph_engine_list(opsgraph_engine* engine, const char* query_json,
                                     char** page_json_out);

/* Cancels a task that has not finished; `actor_utf8` NULL is "anonymous". A task already
 * cancelled is returned unchanged; OPSGRAPH_CONFLICT when it finished otherwise (completed,
 * failed, rejected). */
opsgraph_status opsgraph_engine_cancel(opsgraph_engine* engine, const char* task_id,
                                       const char* actor_utf8, char** task_json_out);

/* Queues a failed task again; it continues from its last checkpoint. The task comes back queued,
 * or in_progress when a run of it is still letting go (the engine continues it). OPSGRAPH_CONFLICT
 * when it has not failed. */
opsgraph_status opsgraph_engine_retry(opsgraph_engine* engine, const char* task_id,
                                      const char* actor_utf8, char** task_json_out);

/* What opsgraph_engine_wait() waits for. */
typedef enum opsgraph_wait_for {
  OPSGRAPH_WAIT_PLAN = 0,    /* The plan exists, or the task settled before planning. */
  OPSGRAPH_WAIT_SETTLED = 1, /* A human is asked (waiting_approval), or the status is final. */
  OPSGRAPH_WAIT_FINAL = 2    /* completed, failed, rejected or cancelled. */
} opsgraph_wait_for;

/* Blocks until the task reaches `what` (an opsgraph_wait_for) or `timeout_ms` passes, and returns
 * the task as it then is: a timeout is not an error, check its "status". timeout_ms 0 only looks.
 * From a callback only timeout_ms 0 is allowed (OPSGRAPH_CONFLICT otherwise). */
opsgraph_status opsgraph_engine_wait(opsgraph_engine* engine, const char* task_id, int what,
                                     uint32_t timeout_ms, char** task_json_out);

/* The stored events of a task after `after_seq` (0: from the first), oldest first, at most `limit`
 * (1..1000). On success `*events_json_out` is {"schema_version": 1, "events": [event, ...]}, each
 * event {"task_id", "seq", "type", "data": object, "at": RFC 3339 time}. */
opsgraph_status opsgraph_engine_events(opsgraph_engine* engine, const char* task_id,
                                       uint64_t after_seq, size_t limit, char** events_json_out);

/* ---- Event subscriptions ---------------------------------------------------------------------
 * A subscription calls its function with each event the engine records or reports (the same event
 * objects as opsgraph_engine_events() returns, with "schema_version"; progress notices that are
 * not stored have seq 0 and type "progress"), in order per task. */

typedef struct opsgraph_subscription opsgraph_subscription;

/* Receives one event; `event_json` lives only for the duration of the call. Called on one of the
 * engine's threads, one event at a time per engine; it must be quick (see "Calls from callbacks"
 * above). */
typedef void (*opsgraph_event_fn)(const char* event_json, void* user_data);

/* Subscribes `callback` to the events of `task_id` (NULL or "" for every task of this engine).
 * On failure nothing is kept and `destroy` is not called. */
opsgraph_status opsgraph_engine_subscribe(opsgraph_engine* engine, const char* task_id,
                                          opsgraph_event_fn callback, void* user_data,
                                          opsgraph_destroy_fn destroy,
                                          opsgraph_subscription** subscription_out);

/* Ends the subscription: once it returns, its function is not running (unless this is called from
 * inside it, on the same thread) and is never called again, and `destroy(user_data)` has run on
 * this thread. It may come before or after opsgraph_engine_destroy(). NULL is accepted. */
void opsgraph_subscription_destroy(opsgraph_subscription* subscription);

#ifdef __cplusplus
}
#endif

#endif /* OPSGRAPH_H */
