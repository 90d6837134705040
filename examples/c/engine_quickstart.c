/*
 * engine_quickstart.c — the opsgraph engine from C: a model of your own behind a callback, one
 * task run from request to record, and the error of a bad call.
 *
 *   cc -std=c99 engine_quickstart.c $(pkg-config --cflags --libs opsgraph) -o quickstart
 *
 * The model answers every agent from memory (a real one would send request_json to an LLM on a
 * thread of its own and reply from there). The store is in memory, so nothing is left behind.
 */
#include <opsgraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers of the four agents, picked by the first words of each agent's system prompt. */
static const char* const kPlan =
    "{\"analysis\": {\"category\": \"compute\", \"required_agents\": [\"diagnostic\", "
    "\"automation\", \"writer\"], \"complexity\": {\"level\": \"medium\", \"score\": 0.5}, "
    "\"reasons\": [], \"language\": \"powershell\", \"risk_level\": \"low\", \"risk_score\": 0.1, "
    "\"requires_approval\": false}, \"plan\": {\"steps\": [\"Find the cause\"], "
    "\"step_details\": [{\"step_number\": 1, \"agent\": \"diagnostic\", \"description\": "
    "\"Find the cause\", \"depends_on\": []}], "
    "\"summary\": \"Find the cause and collect evidence.\"}}";
static const char* const kDiagnosis =
    "{\"problem\": \"APP01 at 100% CPU\", \"problem_identified\": true, \"root_cause\": \"A "
    "service loops since patching\", \"evidence\": [\"w3wp.exe at 90% CPU\"], \"solutions\": [], "
    "\"confidence\": 0.8, \"affected_components\": [\"APP01\"]}";
static const char* const kScript =
    "{\"language\": \"powershell\", \"code\": \"Get-Process | Sort-Object CPU -Descending | "
    "Select-Object -First 10\\n\", \"rollback_code\": null, \"verification_steps\": [], "
    "\"requires_elevation\": false}";
static const char* const kDocuments =
    "{\"email\": {\"subject\": \"APP01 CPU: cause found\", \"body\": \"A service loops.\"}, "
    "\"summary\": \"A service loops on APP01.\", \"report_markdown\": \"# APP01\", "
    "\"action_items\": []}";

/* `text` as a JSON string literal (quotes and escapes), malloc'ed. */
static char* json_string(const char* text) {
  char* out = malloc(strlen(text) * 6 + 3);
  char* p = out;
  if (out == NULL)
    return NULL;
  *p++ = '"';
  for (; *text != '\0'; ++text) {
    unsigned char c = (unsigned char)*text;
    if (c == '"' || c == '\\') {
      *p++ = '\\';
      *p++ = (char)c;
    } else if (c < 0x20) {
      p += sprintf(p, "\\u%04x", c);
    } else {
      *p++ = (char)c;
    }
  }
  *p++ = '"';
  *p = '\0';
  return out;
}

/* Called on an engine thread for each model call; replies at once. */
static void chat(const char* request_json, opsgraph_reply* reply, void* user_data) {
  const char* answer = kDocuments;
  char* content;
  char* response;
  (void)user_data;
  if (strstr(request_json, "You are the opsgraph planner") != NULL)
    answer = kPlan;
  else if (strstr(request_json, "You are the opsgraph diagnostic agent") != NULL)
    answer = kDiagnosis;
  else if (strstr(request_json, "You are the opsgraph automation agent") != NULL)
    answer = kScript;
  content = json_string(answer);
  response = content ? malloc(strlen(content) + 16) : NULL;
  if (response == NULL) {
    opsgraph_reply_error(reply, OPSGRAPH_INTERNAL, "out of memory", 0);
  } else {
    sprintf(response, "{\"content\": %s}", content);
    opsgraph_reply_ok(reply, response);
  }
  free(response);
  free(content);
}

static int fail(const char* what) {
  const opsgraph_error* error = opsgraph_last_error();
  fprintf(stderr, "%s: %s (%s)\n", what, error->message, opsgraph_status_string(error->code));
  return 1;
}

int main(void) {
  opsgraph_provider* provider = NULL;
  opsgraph_engine_options options;
  opsgraph_engine* engine = NULL;
  char* task = NULL;
  char* done = NULL;
  char* missing = NULL;
  const char* id_start;
  char id[64] = {0};
  int status = 0;

  if (opsgraph_abi_version() != OPSGRAPH_ABI_VERSION) {
    fprintf(stderr, "libopsgraph_c has ABI %d, this program needs %d\n", opsgraph_abi_version(),
            OPSGRAPH_ABI_VERSION);
    return 1;
  }
  if (opsgraph_provider_create("canned", chat, NULL, NULL, &provider) != OPSGRAPH_OK)
    return fail("provider");
  opsgraph_engine_options_init(&options, sizeof options);
  options.config_json = "{\"store\": {\"kind\": \"memory\"}}";
  options.provider = provider;
  options.ignore_environment = 1;
  if (opsgraph_engine_create(&options, &engine) != OPSGRAPH_OK)
    return fail("engine");
  opsgraph_provider_destroy(provider); /* the engine keeps its own share */

  if (opsgraph_engine_execute(engine,
                              "{\"request\": \"APP01 is at 100% CPU since patching, find the "
                              "cause and give me a PowerShell script to collect diagnostics\"}",
                              &task) != OPSGRAPH_OK) {
    status = fail("execute");
    goto out;
  }
  /* The task is JSON; a real program parses it. Its id is the first "task_id". */
  id_start = strstr(task, "\"task_id\":\"");
  if (id_start == NULL || sscanf(id_start + 11, "%63[^\"]", id) != 1) {
    fprintf(stderr, "no task id in %s\n", task);
    status = 1;
    goto out;
  }
  if (opsgraph_engine_wait(engine, id, OPSGRAPH_WAIT_FINAL, 30000, &done) != OPSGRAPH_OK) {
    status = fail("wait");
    goto out;
  }
  printf("task %s: %s\n", id,
         strstr(done, "\"status\":\"completed\"") != NULL ? "completed" : "not completed");

  /* A bad call returns a status, sets its out-parameter to NULL and leaves the details in the
   * calling thread's last error. */
  if (opsgraph_engine_status(engine, "no-such-task", &missing) == OPSGRAPH_NOT_FOUND)
    printf("unknown task: %s\n", opsgraph_last_error()->message);

out:
  opsgraph_string_free(done);
  opsgraph_string_free(task);
  opsgraph_engine_destroy(engine);
  return status;
}
