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
 * the thread that made the opsgraph call which logs, never for two records at once; it must not
 * call opsgraph_log_set_callback(). */
typedef void (*opsgraph_log_fn)(opsgraph_log_level level, const char* component,
                                const char* message, const char* fields_json, void* user_data);

/* Releases `user_data` once opsgraph no longer needs it. */
typedef void (*opsgraph_destroy_fn)(void* user_data);

/* Routes the records of opsgraph objects created through this ABI at `min_level` (an
 * opsgraph_log_level; OPSGRAPH_INVALID_ARGUMENT for any other value) or above to
 * `callback` (process-wide; until it is called, records at warn and above go to stderr). A NULL
 * callback discards all records. The previous callback's destroy function is called, on this
 * thread or on the thread finishing a record with it, once no record is in flight. On failure
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

#ifdef __cplusplus
}
#endif

#endif /* OPSGRAPH_H */
