/* The engine half of the C ABI from C: engines made from config JSON, every engine call with its
 * error paths (NULL arguments, invalid UTF-8, bad JSON, unknown tasks, wrong states), event
 * subscriptions, and whole tasks whose model is a provider of C callbacks answering with canned
 * JSON, now or later from another thread: a low-risk task, a gated one approved here, a cancelled
 * one and a timed-out one retried. */
#define _POSIX_C_SOURCE 200809L
#include <opsgraph.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capi_check.h"

/* ---- The engine, its events and a provider made of C callbacks ------------------------------ */

static void sleep_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&t, NULL);
}

/* The string member `name` of the first object in `json` that has one, copied into `out`. */
static int string_member(const char* json, const char* name, char* out, size_t size) {
  char key[64];
  const char* at;
  size_t n = 0;
  sprintf(key, "\"%.50s\":\"", name);
  at = json != NULL ? strstr(json, key) : NULL;
  if (at == NULL || size == 0)
    return 0;
  at += strlen(key);
  while (at[n] != '\0' && at[n] != '"' && n + 1 < size) {
    out[n] = at[n];
    ++n;
  }
  out[n] = '\0';
  return 1;
}

/* Canned, schema-valid answers of the four built-in agents (JSON text). */
static const char* const kPlanAnswer =
    "{\"analysis\": {\"category\": \"compute\", \"required_agents\": [\"diagnostic\", "
    "\"automation\", \"writer\"], \"complexity\": {\"level\": \"medium\", \"score\": 0.5}, "
    "\"reasons\": [{\"rule\": \"llm_analysis\", \"detail\": \"read-only collection\"}], "
    "\"language\": null, \"risk_level\": \"low\", \"risk_score\": 0.1, \"requires_approval\": "
    "false}, \"plan\": {\"steps\": [\"Diagnose the problem\", \"Write the script\", \"Draft the "
    "email\"], \"step_details\": [{\"step_number\": 1, \"agent\": \"diagnostic\", "
    "\"description\": \"Diagnose the problem\", \"depends_on\": []}, {\"step_number\": 2, "
    "\"agent\": \"automation\", \"description\": \"Write the script\", \"depends_on\": [1]}, "
    "{\"step_number\": 3, \"agent\": \"writer\", \"description\": \"Draft the email\", "
    "\"depends_on\": [1, 2]}], \"summary\": \"Find the cause, script the change or the "
    "collection, tell people.\"}}";
static const char* const kDiagnosisAnswer =
    "{\"problem\": \"cpu01 runs at 95% CPU\", \"problem_identified\": true, \"root_cause\": \"A "
    "Defender full scan scheduled after patching\", \"evidence\": [\"MsMpEng.exe at 80% CPU\"], "
    "\"solutions\": [{\"title\": \"Reschedule the scan\", \"description\": \"Move it off "
    "hours\", \"steps\": [\"Set-MpPreference -ScanScheduleDay 0\"], \"confidence\": \"high\", "
    "\"score\": 0.85}], \"confidence\": 0.8, \"affected_components\": [\"cpu01\"]}";
static const char* const kPowerShellAnswer =
    "{\"language\": \"powershell\", \"code\": \"$out = 'C:/PerfLogs/cpu01'\\nNew-Item -ItemType "
    "Directory -Path $out -Force | Out-Null\\nGet-Process | Sort-Object CPU -Descending | "
    "Select-Object -First 10 | Export-Csv -Path (Join-Path $out 'top.csv')\\nWrite-Output "
    "\\\"Saved to $out\\\"\\n\", \"rollback_code\": \"Remove-Item -Path 'C:/PerfLogs/cpu01' "
    "-Recurse -Force\", \"verification_steps\": [\"Open top.csv\"], \"requires_elevation\": "
    "false}";
static const char* const kAzureCliAnswer =
    "{\"language\": \"azurecli\", \"code\": \"az network nsg rule create --resource-group "
    "rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin --priority 100 --access Allow --protocol "
    "Tcp --destination-port-ranges 3389 --source-address-prefixes 10.0.0.0/24\\n\", "
    "\"rollback_code\": \"az network nsg rule delete --resource-group rg-prod --nsg-name nsg-vm1 "
    "--name allow-rdp-admin\\n\", \"verification_steps\": [\"az network nsg rule show "
    "--resource-group rg-prod --nsg-name nsg-vm1 --name allow-rdp-admin\"], "
    "\"requires_elevation\": false}";
static const char* const kDocumentsAnswer =
    "{\"email\": {\"subject\": \"cpu01 high CPU: cause found\", \"body\": \"Hello team,\\n\\nA "
    "Defender scan caused it.\"}, \"summary\": \"A Defender scan after patching drives cpu01's "
    "CPU.\", \"report_markdown\": \"# cpu01\\n\\nDefender scan.\", \"action_items\": "
    "[{\"description\": \"Reschedule the scan\", \"owner\": \"ops\", \"due\": \"2026-11-27\", "
    "\"priority\": \"high\"}]}";

static const char* const kCpuRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell script to "
    "collect perfmon logs, and draft an email to management summarising findings.";
static const char* const kRdpRequest =
    "Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24 and "
    "pause for approval before outputting the commands.";

/* A ChatResponse whose content is `answer` (malloc'ed; free it). */
static char* chat_response(const char* answer) {
  size_t n = strlen(answer);
  char* out = (char*)malloc(2 * n + 128);
  char* p;
  size_t i;
  if (out == NULL)
    return NULL;
  p = out + sprintf(out, "{\"content\":\"");
  for (i = 0; i < n; ++i) {
    if (answer[i] == '"' || answer[i] == '\\')
      *p++ = '\\';
    *p++ = answer[i];
  }
  sprintf(p,
          "\",\"finish_reason\":\"stop\",\"model\":\"canned-c\",\"usage\":{\"prompt_tokens\":"
          "100,\"completion_tokens\":50,\"total_tokens\":150}}");
  return out;
}

#define MAX_HELD 8
#define MAX_THREADS 16

typedef struct canned_model {
  pthread_mutex_t mutex;
  int calls;
  int destroyed;
  int hold; /* nonzero: keep the replies in `held` instead of answering */
  int held_count;
  opsgraph_reply* held[MAX_HELD];
  pthread_t threads[MAX_THREADS];
  int thread_count;
  int late_status;   /* what the replying thread's opsgraph_reply_ok() returned */
  int second_status; /* and its second, refused answer */
  int late_replies;
  int in_chat_execute; /* opsgraph_engine_execute() from inside the chat function */
  opsgraph_engine* engine;
} canned_model;

typedef struct late_reply {
  canned_model* model;
  opsgraph_reply* reply;
  char* response;
} late_reply;

/* Answers from another thread, a little later, and tries to answer twice. */
static void* reply_later(void* arg) {
  late_reply* late = (late_reply*)arg;
  opsgraph_status first;
  opsgraph_status second;
  sleep_ms(20);
  first = opsgraph_reply_ok(late->reply, late->response);
  second = opsgraph_reply_ok(late->reply, late->response);
  pthread_mutex_lock(&late->model->mutex);
  late->model->late_status = first;
  late->model->second_status = second;
  ++late->model->late_replies;
  pthread_mutex_unlock(&late->model->mutex);
  free(late->response);
  free(late);
  return NULL;
}

static void on_chat(const char* request_json, opsgraph_reply* reply, void* user_data) {
  canned_model* model = (canned_model*)user_data;
  const char* answer = kDocumentsAnswer;
  char* response;
  int later = 0;
  CHECK(contains(request_json, "\"schema_version\":1"));
  CHECK(contains(request_json, "\"messages\":["));
  if (contains(request_json, "You are the opsgraph planner")) {
    answer = kPlanAnswer;
  } else if (contains(request_json, "You are the opsgraph diagnostic agent")) {
    answer = kDiagnosisAnswer;
  } else if (contains(request_json, "You are the opsgraph automation agent")) {
    answer = contains(request_json, "lock RDP") ? kAzureCliAnswer : kPowerShellAnswer;
  } else {
    CHECK(contains(request_json, "You are the opsgraph writer"));
    later = 1;
  }
  pthread_mutex_lock(&model->mutex);
  ++model->calls;
  if (model->hold && model->held_count < MAX_HELD) {
    model->held[model->held_count++] = reply;
    pthread_mutex_unlock(&model->mutex);
    return;
  }
  if (model->engine != NULL && model->in_chat_execute == 0) {
    char* task = NULL;
    model->in_chat_execute =
        opsgraph_engine_execute(model->engine, "{\"request\":\"restart IIS\"}", &task);
    CHECK(task == NULL);
  }
  pthread_mutex_unlock(&model->mutex);

  response = chat_response(answer);
  CHECK(response != NULL);
  if (response == NULL) {
    CHECK_STATUS(opsgraph_reply_error(reply, OPSGRAPH_INTERNAL, "out of memory", 0), OPSGRAPH_OK);
    return;
  }
  pthread_mutex_lock(&model->mutex);
  if (later && model->thread_count < MAX_THREADS) {
    late_reply* late = (late_reply*)malloc(sizeof *late);
    CHECK(late != NULL);
    if (late != NULL) {
      late->model = model;
      late->reply = reply;
      late->response = response;
      if (pthread_create(&model->threads[model->thread_count], NULL, reply_later, late) == 0) {
        ++model->thread_count;
        pthread_mutex_unlock(&model->mutex);
        return;
      }
      free(late);
    }
  }
  pthread_mutex_unlock(&model->mutex);
  CHECK_STATUS(opsgraph_reply_ok(reply, response), OPSGRAPH_OK);
  CHECK_STATUS(opsgraph_reply_ok(reply, response), OPSGRAPH_CONFLICT); /* answered already */
  free(response);
}

static void on_model_destroy(void* user_data) {
  canned_model* model = (canned_model*)user_data;
  pthread_mutex_lock(&model->mutex);
  ++model->destroyed;
  pthread_mutex_unlock(&model->mutex);
}

/* The replies the model holds, once there are `count` of them (10 s at most). */
static int wait_for_held(canned_model* model, int count) {
  int i;
  int held = 0;
  for (i = 0; i < 1000; ++i) {
    pthread_mutex_lock(&model->mutex);
    held = model->held_count;
    pthread_mutex_unlock(&model->mutex);
    if (held >= count)
      return 1;
    sleep_ms(10);
  }
  return 0;
}

typedef struct event_log {
  pthread_mutex_t mutex;
  int events;
  int progress;
  int schema_ok;
  int destroyed;
  int tried; /* the calls refused inside the callback were tried */
  opsgraph_status execute_status;
  opsgraph_status wait_status;
  opsgraph_status look_status;
  opsgraph_status status_status;
  opsgraph_engine* engine;
  opsgraph_subscription* self; /* ended from inside its own function at the first event */
} event_log;

static void on_event(const char* event_json, void* user_data) {
  event_log* log = (event_log*)user_data;
  pthread_mutex_lock(&log->mutex);
  ++log->events;
  if (contains(event_json, "\"type\":\"progress\""))
    ++log->progress;
  if (contains(event_json, "\"schema_version\":1") && contains(event_json, "\"task_id\":\""))
    ++log->schema_ok;
  if (!log->tried && log->engine != NULL) {
    char id[128];
    char* json = NULL;
    log->tried = 1;
    if (string_member(event_json, "task_id", id, sizeof id)) {
      log->execute_status = opsgraph_engine_execute(log->engine, "{\"request\":\"x\"}", &json);
      log->wait_status = opsgraph_engine_wait(log->engine, id, OPSGRAPH_WAIT_FINAL, 1000, &json);
      log->look_status = opsgraph_engine_wait(log->engine, id, OPSGRAPH_WAIT_FINAL, 0, &json);
      opsgraph_string_free(json);
      json = NULL;
      log->status_status = opsgraph_engine_status(log->engine, id, &json);
      opsgraph_string_free(json);
    }
  }
  if (log->self != NULL) {
    opsgraph_subscription* self = log->self;
    log->self = NULL;
    pthread_mutex_unlock(&log->mutex);
    opsgraph_subscription_destroy(self); /* its own subscription, from inside its function */
    return;
  }
  pthread_mutex_unlock(&log->mutex);
}

static void on_event_log_destroy(void* user_data) {
  event_log* log = (event_log*)user_data;
  pthread_mutex_lock(&log->mutex);
  ++log->destroyed;
  pthread_mutex_unlock(&log->mutex);
}

static void init_event_log(event_log* log, opsgraph_engine* engine) {
  memset(log, 0, sizeof *log);
  pthread_mutex_init(&log->mutex, NULL);
  log->engine = engine;
}

static int event_count(event_log* log) {
  int n;
  pthread_mutex_lock(&log->mutex);
  n = log->events;
  pthread_mutex_unlock(&log->mutex);
  return n;
}

static void test_provider_errors(void) {
  canned_model model;
  opsgraph_provider* provider = NULL;
  int not_a_reply = 0;
  memset(&model, 0, sizeof model);
  pthread_mutex_init(&model.mutex, NULL);

  CHECK_STATUS(opsgraph_provider_create("c", on_chat, &model, on_model_destroy, NULL),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_provider_create(NULL, on_chat, &model, on_model_destroy, &provider),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_provider_create("c", NULL, &model, on_model_destroy, &provider),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_provider_create("bad \xFF", on_chat, &model, on_model_destroy, &provider),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_provider_create("", on_chat, &model, on_model_destroy, &provider),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK(provider == NULL);
  CHECK(model.destroyed == 0); /* a failed create keeps nothing and releases nothing */

  CHECK_STATUS(opsgraph_provider_create("canned-c", on_chat, &model, on_model_destroy, &provider),
               OPSGRAPH_OK);
  CHECK(provider != NULL);
  opsgraph_provider_destroy(provider);
  CHECK(model.destroyed == 1);
  opsgraph_provider_destroy(NULL);

  CHECK_STATUS(opsgraph_reply_ok(NULL, "{\"content\":\"x\"}"), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_error(NULL, OPSGRAPH_TIMEOUT, "x", 1), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_ok((opsgraph_reply*)(void*)&not_a_reply, "{\"content\":\"x\"}"),
               OPSGRAPH_INVALID_HANDLE);
  CHECK_STATUS(opsgraph_reply_error((opsgraph_reply*)(void*)&not_a_reply, OPSGRAPH_TIMEOUT, "x", 1),
               OPSGRAPH_INVALID_HANDLE);
  pthread_mutex_destroy(&model.mutex);
}

static void test_engine_options(void) {
  opsgraph_engine_options options;
  opsgraph_engine* engine = NULL;
  opsgraph_router* router = NULL;

  CHECK_STATUS(opsgraph_engine_options_init(NULL, sizeof options), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_options_init(&options, sizeof options - 1),
               OPSGRAPH_UNSUPPORTED_STRUCT_SIZE);
  CHECK_STATUS(opsgraph_engine_options_init(&options, sizeof options), OPSGRAPH_OK);
  CHECK(options.struct_size == sizeof options);
  CHECK(options.config_json == NULL && options.provider == NULL);
  CHECK(options.ignore_environment == 0);

  CHECK_STATUS(opsgraph_engine_create(&options, NULL), OPSGRAPH_NULL_ARGUMENT);
  options.struct_size = 5;
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_UNSUPPORTED_STRUCT_SIZE);
  options.struct_size = sizeof options;
  options.ignore_environment = 1;
  options.config_json = "{\"store\": {\"kind\": \"memory\"";
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_INVALID_ARGUMENT);
  CHECK(contains(opsgraph_last_error()->message, "config_json"));
  options.config_json = "{\"store\": {\"kind\": \"memroy\"}}";
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_INVALID_ARGUMENT);
  CHECK(contains(opsgraph_last_error()->message, "store.kind"));
  options.config_json = "{\"provider\": {\"modle\": \"x\"}}";
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_INVALID_ARGUMENT);
  options.config_json = "{\"store\": {\"kind\": \"\xC3\x28\"}}";
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_INVALID_UTF8);
  options.config_json = "{\"store\": {\"kind\": \"memory\"}}";
  CHECK_STATUS(opsgraph_router_create(NULL, &router), OPSGRAPH_OK);
  options.provider = (opsgraph_provider*)(void*)router; /* a handle of another kind */
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_INVALID_HANDLE);
  CHECK(engine == NULL);
  opsgraph_router_destroy(router);

  /* The OpenAI-compatible provider of the config, with the environment applied; it only records
   * here (no model is asked: no task is executed). */
  options.provider = NULL;
  options.ignore_environment = 0;
  options.config_json =
      "{\"store\": {\"kind\": \"memory\"}, \"provider\": {\"base_url\": \"http://127.0.0.1:9/v1\"},"
      " \"limits\": {\"io_threads\": 1, \"blocking_threads\": 1}}";
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_OK);
  CHECK(engine != NULL);
  opsgraph_engine_destroy(engine);
  opsgraph_engine_destroy(NULL);
}

/* Every engine call with the arguments it refuses, on a live engine. */
static void test_engine_argument_errors(opsgraph_engine* engine) {
  opsgraph_router* router = NULL;
  opsgraph_engine* wrong;
  opsgraph_subscription* subscription = NULL;
  char* json = (char*)"sentinel";
  const char* missing = "01900000-0000-7000-8000-000000000000";

  CHECK_STATUS(opsgraph_router_create(NULL, &router), OPSGRAPH_OK);
  wrong = (opsgraph_engine*)(void*)router;

  CHECK_STATUS(opsgraph_engine_execute(NULL, "{\"request\":\"x\"}", &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK(json == NULL);
  CHECK_STATUS(opsgraph_engine_execute(wrong, "{\"request\":\"x\"}", &json),
               OPSGRAPH_INVALID_HANDLE);
  CHECK_STATUS(opsgraph_engine_execute(engine, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"x\"}", NULL),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"\xED\xA0\x80\"}", &json),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":", &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK(contains(opsgraph_last_error()->message, "request_json"));
  CHECK_STATUS(opsgraph_engine_execute(engine, "[]", &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"x\",\"colour\":1}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"\"}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"x\",\"language\":\"cobol\"}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"x\",\"schema_version\":2}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_execute(engine, "{\"request\":\"x\",\"context\":[1]}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK(json == NULL);

  json = (char*)"sentinel";
  CHECK_STATUS(opsgraph_engine_status(engine, missing, &json), OPSGRAPH_NOT_FOUND);
  CHECK(json == NULL);
  CHECK_STATUS(opsgraph_engine_status(engine, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_status(engine, "\xFF", &json), OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_engine_status(NULL, missing, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_status(wrong, missing, &json), OPSGRAPH_INVALID_HANDLE);
  CHECK_STATUS(opsgraph_engine_status(engine, missing, NULL), OPSGRAPH_NULL_ARGUMENT);

  CHECK_STATUS(opsgraph_engine_approve(engine, missing, NULL, &json), OPSGRAPH_NOT_FOUND);
  CHECK_STATUS(opsgraph_engine_approve(engine, missing, "{\"actor\":", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_approve(engine, missing, "{\"actor\":\"a\",\"why\":1}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_approve(engine, missing, "{\"actor\":\"\xC0\xAF\"}", &json),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_engine_approve(NULL, missing, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_approve(engine, NULL, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_reject(engine, missing, "{\"reason\":\"no\"}", &json),
               OPSGRAPH_NOT_FOUND);
  CHECK_STATUS(opsgraph_engine_reject(engine, missing, "{\"comment\":\"no\"}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_reject(engine, missing, NULL, NULL), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_cancel(engine, missing, "bob", &json), OPSGRAPH_NOT_FOUND);
  CHECK_STATUS(opsgraph_engine_cancel(engine, missing, "\xFF", &json), OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_engine_cancel(wrong, missing, NULL, &json), OPSGRAPH_INVALID_HANDLE);
  CHECK_STATUS(opsgraph_engine_retry(engine, missing, NULL, &json), OPSGRAPH_NOT_FOUND);
  CHECK_STATUS(opsgraph_engine_retry(engine, NULL, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_wait(engine, missing, OPSGRAPH_WAIT_FINAL, 10, &json),
               OPSGRAPH_NOT_FOUND);
  CHECK_STATUS(opsgraph_engine_wait(engine, missing, 7, 10, &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_wait(engine, missing, -1, 10, &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_wait(engine, missing, OPSGRAPH_WAIT_PLAN, 0, NULL),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_events(engine, missing, 0, 10, &json), OPSGRAPH_NOT_FOUND);
  CHECK_STATUS(opsgraph_engine_events(engine, missing, 0, 0, &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_events(engine, NULL, 0, 10, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_events(wrong, missing, 0, 10, &json), OPSGRAPH_INVALID_HANDLE);
  CHECK_STATUS(opsgraph_engine_list(engine, "{\"limit\":0}", &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_list(engine, "{\"statuses\":[\"sleeping\"]}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_list(engine, "{\"colour\":1}", &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_list(engine, "{\"requester\":\"\xFF\"}", &json),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_engine_list(NULL, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_list(engine, NULL, NULL), OPSGRAPH_NULL_ARGUMENT);
  CHECK(json == NULL);

  CHECK_STATUS(opsgraph_engine_subscribe(engine, NULL, NULL, NULL, NULL, &subscription),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_subscribe(engine, NULL, on_event, NULL, NULL, NULL),
               OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_engine_subscribe(engine, "\xFF", on_event, NULL, NULL, &subscription),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_engine_subscribe(wrong, NULL, on_event, NULL, NULL, &subscription),
               OPSGRAPH_INVALID_HANDLE);
  CHECK(subscription == NULL);
  opsgraph_subscription_destroy(NULL);
  opsgraph_engine_destroy(wrong); /* ignored: not an engine */
  opsgraph_router_destroy(router);
}

static char* execute_task(opsgraph_engine* engine, const char* text, const char* extra, char* id,
                          size_t id_size) {
  char body[1024];
  char* task = NULL;
  sprintf(body, "{\"request\":\"%.600s\",\"requester\":\"c-test\"%.300s}", text, extra);
  CHECK_STATUS(opsgraph_engine_execute(engine, body, &task), OPSGRAPH_OK);
  CHECK(contains(task, "\"schema_version\":1"));
  CHECK(string_member(task, "task_id", id, id_size));
  return task;
}

static char* wait_task(opsgraph_engine* engine, const char* id, int what) {
  char* task = NULL;
  CHECK_STATUS(opsgraph_engine_wait(engine, id, what, 60000, &task), OPSGRAPH_OK);
  return task;
}

/* A low-risk task that runs through, and a risky one a human approves. */
static void run_tasks(opsgraph_engine* engine, canned_model* model, char* low_id, char* gated_id) {
  char* task;
  char* json = NULL;
  char plan_hash[160];
  char approve[400];
  const char* plan;
  event_log once;
  opsgraph_subscription* self_ending = NULL;

  task = execute_task(engine, kCpuRequest, ",\"context\":{\"host\":\"cpu01\"}", low_id, 128);
  CHECK(contains(task, "\"status\":\"queued\""));
  CHECK(contains(task, "\"requester\":\"c-test\""));
  opsgraph_string_free(task);
  task = wait_task(engine, low_id, OPSGRAPH_WAIT_FINAL);
  CHECK(contains(task, "\"status\":\"completed\""));
  CHECK(contains(task, "\"root_cause\":\"A Defender full scan scheduled after patching\""));
  CHECK(contains(task, "\"language\":\"powershell\""));
  CHECK(contains(task, "Subject: cpu01 high CPU: cause found"));
  if (!contains(task, "\"status\":\"completed\""))
    fprintf(stderr, "low-risk task: %s\n", task != NULL ? task : "(null)");
  opsgraph_string_free(task);

  /* Decisions on a task that waits for none. */
  CHECK_STATUS(opsgraph_engine_approve(engine, low_id, "{\"actor\":\"alice\"}", &json),
               OPSGRAPH_CONFLICT);
  CHECK_STATUS(opsgraph_engine_reject(engine, low_id, NULL, &json), OPSGRAPH_CONFLICT);
  CHECK_STATUS(opsgraph_engine_cancel(engine, low_id, "bob", &json), OPSGRAPH_CONFLICT);
  CHECK_STATUS(opsgraph_engine_retry(engine, low_id, "bob", &json), OPSGRAPH_CONFLICT);
  CHECK(json == NULL);

  /* Its audit trail, whole and paged. */
  CHECK_STATUS(opsgraph_engine_events(engine, low_id, 0, 1000, &json), OPSGRAPH_OK);
  CHECK(contains(json, "{\"schema_version\":1,\"events\":[{\"task_id\":\""));
  CHECK(contains(json, "\"type\":\"created\""));
  CHECK(contains(json, "\"type\":\"planned\""));
  opsgraph_string_free(json);
  CHECK_STATUS(opsgraph_engine_events(engine, low_id, 1, 1, &json), OPSGRAPH_OK);
  CHECK(contains(json, "\"seq\":2,"));
  CHECK(!contains(json, "\"seq\":3,"));
  opsgraph_string_free(json);
  json = NULL;

  /* The risky one: the rules gate it even though the caller says no approval. A subscription to
   * it ends itself from inside its function at its first event. */
  init_event_log(&once, NULL);
  pthread_mutex_lock(&once.mutex);
  task = execute_task(engine, kRdpRequest, ",\"require_approval\":false", gated_id, 128);
  CHECK_STATUS(opsgraph_engine_subscribe(engine, gated_id, on_event, &once, on_event_log_destroy,
                                         &self_ending),
               OPSGRAPH_OK);
  once.self = self_ending;
  pthread_mutex_unlock(&once.mutex);
  CHECK(contains(task, "\"requires_approval\":true"));
  CHECK(contains(task, "\"level\":\"high\""));
  opsgraph_string_free(task);
  task = wait_task(engine, gated_id, OPSGRAPH_WAIT_SETTLED);
  CHECK(contains(task, "\"status\":\"waiting_approval\""));
  CHECK(contains(task, "\"stage\":\"plan_review\""));
  plan = task != NULL ? strstr(task, "\"plan\":{") : NULL;
  CHECK(plan != NULL && string_member(plan, "hash", plan_hash, sizeof plan_hash));
  opsgraph_string_free(task);

  CHECK_STATUS(opsgraph_engine_approve(engine, gated_id,
                                       "{\"actor\":\"alice\",\"hash\":\"sha256:0\"}", &json),
               OPSGRAPH_CONFLICT); /* a stale hash */
  CHECK_STATUS(opsgraph_engine_retry(engine, gated_id, NULL, &json), OPSGRAPH_CONFLICT);
  sprintf(approve,
          "{\"schema_version\":1,\"actor\":\"alice\",\"comment\":\"change window 22:00\","
          "\"hash\":\"%.150s\"}",
          plan_hash);
  CHECK_STATUS(opsgraph_engine_approve(engine, gated_id, approve, &json), OPSGRAPH_OK);
  CHECK(contains(json, "\"actor\":\"alice\""));
  opsgraph_string_free(json);
  json = NULL;
  task = wait_task(engine, gated_id, OPSGRAPH_WAIT_FINAL);
  CHECK(contains(task, "\"status\":\"completed\""));
  CHECK(contains(task, "\"language\":\"azurecli\""));
  if (!contains(task, "\"status\":\"completed\""))
    fprintf(stderr, "gated task: %s\n", task != NULL ? task : "(null)");
  opsgraph_string_free(task);
  CHECK_STATUS(opsgraph_engine_approve(engine, gated_id, approve, &json), OPSGRAPH_OK); /* again */
  opsgraph_string_free(json);
  json = NULL;
  CHECK_STATUS(opsgraph_engine_reject(engine, gated_id, "{\"actor\":\"bob\"}", &json),
               OPSGRAPH_CONFLICT);

  pthread_mutex_lock(&once.mutex);
  CHECK(once.events == 1); /* ended by itself at the first one */
  CHECK(once.destroyed == 1);
  pthread_mutex_unlock(&once.mutex);
  pthread_mutex_destroy(&once.mutex);

  /* Both, listed. */
  CHECK_STATUS(opsgraph_engine_list(engine, "{\"statuses\":[\"completed\"],\"limit\":10}", &json),
               OPSGRAPH_OK);
  CHECK(contains(json, "{\"schema_version\":1,\"tasks\":["));
  CHECK(contains(json, low_id) && contains(json, gated_id));
  opsgraph_string_free(json);
  CHECK_STATUS(opsgraph_engine_list(engine, "{\"requester\":\"c-test\",\"limit\":1}", &json),
               OPSGRAPH_OK);
  CHECK(contains(json, "\"next_cursor\":\""));
  opsgraph_string_free(json);
  CHECK_STATUS(opsgraph_engine_list(engine, NULL, &json), OPSGRAPH_OK);
  opsgraph_string_free(json);
  (void)model;
}

/* A call the engine stops waiting for (the task is cancelled), answered late. */
static void cancel_held_call(opsgraph_engine* engine, canned_model* model) {
  char id[128];
  char* task;
  char* json = NULL;
  opsgraph_reply* reply = NULL;

  pthread_mutex_lock(&model->mutex);
  model->hold = 1;
  model->held_count = 0;
  pthread_mutex_unlock(&model->mutex);
  task = execute_task(engine, "Check the disk space on files01", "", id, sizeof id);
  opsgraph_string_free(task);
  CHECK(wait_for_held(model, 1));
  CHECK_STATUS(opsgraph_engine_cancel(engine, id, "carol", &json), OPSGRAPH_OK);
  CHECK(contains(json, "\"status\":\"cancelled\""));
  opsgraph_string_free(json);
  json = NULL;
  CHECK_STATUS(opsgraph_engine_cancel(engine, id, "carol", &json), OPSGRAPH_OK); /* again */
  opsgraph_string_free(json);
  task = wait_task(engine, id, OPSGRAPH_WAIT_FINAL);
  CHECK(contains(task, "\"status\":\"cancelled\""));
  opsgraph_string_free(task);

  pthread_mutex_lock(&model->mutex);
  model->hold = 0;
  reply = model->held_count > 0 ? model->held[0] : NULL;
  pthread_mutex_unlock(&model->mutex);
  /* Replies that are refused leave the call waiting for a correct one... */
  CHECK_STATUS(opsgraph_reply_ok(reply, "{\"content\":"), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_ok(reply, "{\"finish_reason\":\"stop\"}"), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_ok(reply, "{\"content\":\"\xFF\"}"), OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_reply_ok(reply, NULL), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_error(reply, OPSGRAPH_OK, "x", 0), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_error(reply, OPSGRAPH_NULL_ARGUMENT, "x", 0),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_reply_error(reply, OPSGRAPH_TIMEOUT, "\xFF", 0), OPSGRAPH_INVALID_UTF8);
  /* ...and the late one is accepted and dropped; a second is refused. */
  CHECK_STATUS(opsgraph_reply_error(reply, OPSGRAPH_UPSTREAM_UNAVAILABLE, "too late", 1),
               OPSGRAPH_OK);
  CHECK_STATUS(opsgraph_reply_error(reply, OPSGRAPH_UPSTREAM_UNAVAILABLE, "again", 1),
               OPSGRAPH_CONFLICT);
  CHECK_STATUS(opsgraph_reply_ok(reply, "{\"content\":\"x\"}"), OPSGRAPH_CONFLICT);
}

/* A chat function that never replies: the node timeout fails the task; retry runs it again. */
static void time_out_and_retry(canned_model* model) {
  opsgraph_engine_options options;
  opsgraph_provider* provider = NULL;
  opsgraph_engine* engine = NULL;
  opsgraph_subscription* outliving = NULL;
  event_log log;
  char id[128];
  char* task;
  char* json = NULL;
  opsgraph_reply* reply = NULL;

  CHECK_STATUS(opsgraph_provider_create("canned-c", on_chat, model, NULL, &provider), OPSGRAPH_OK);
  CHECK_STATUS(opsgraph_engine_options_init(&options, sizeof options), OPSGRAPH_OK);
  options.ignore_environment = 1;
  options.provider = provider;
  options.config_json =
      "{\"store\": {\"kind\": \"memory\"}, \"policy\": {\"node_timeout_ms\": 1500, "
      "\"node_attempts\": 1}, \"limits\": {\"poll_interval_ms\": 50}}";
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_OK);
  opsgraph_provider_destroy(provider);
  if (engine == NULL)
    return;

  pthread_mutex_lock(&model->mutex);
  model->hold = 1;
  model->held_count = 0;
  pthread_mutex_unlock(&model->mutex);
  task = execute_task(engine, kCpuRequest, "", id, sizeof id);
  opsgraph_string_free(task);
  task = wait_task(engine, id, OPSGRAPH_WAIT_FINAL);
  CHECK(contains(task, "\"status\":\"failed\""));
  CHECK(contains(task, "\"code\":\"timeout\""));
  opsgraph_string_free(task);

  pthread_mutex_lock(&model->mutex);
  model->hold = 0;
  reply = model->held_count > 0 ? model->held[0] : NULL;
  pthread_mutex_unlock(&model->mutex);
  CHECK(reply != NULL);
  CHECK_STATUS(opsgraph_reply_ok(reply, "{\"content\":\"{}\"}"), OPSGRAPH_OK); /* dropped */
  CHECK_STATUS(opsgraph_reply_ok(reply, "{\"content\":\"{}\"}"), OPSGRAPH_CONFLICT);

  CHECK_STATUS(opsgraph_engine_retry(engine, id, "dave", &json), OPSGRAPH_OK);
  CHECK(contains(json, "\"task_id\":\"") && !contains(json, "\"status\":\"failed\""));
  opsgraph_string_free(json);
  task = wait_task(engine, id, OPSGRAPH_WAIT_FINAL);
  CHECK(contains(task, "\"status\":\"completed\""));
  opsgraph_string_free(task);

  /* A subscription may outlive its engine: it then sees nothing and ends normally. */
  init_event_log(&log, NULL);
  CHECK_STATUS(
      opsgraph_engine_subscribe(engine, "", on_event, &log, on_event_log_destroy, &outliving),
      OPSGRAPH_OK);
  opsgraph_engine_destroy(engine);
  CHECK(log.destroyed == 0);
  opsgraph_subscription_destroy(outliving);
  CHECK(log.destroyed == 1);
  pthread_mutex_destroy(&log.mutex);
}

static void test_engine(void) {
  canned_model model;
  event_log all;
  opsgraph_engine_options options;
  opsgraph_provider* provider = NULL;
  opsgraph_engine* engine = NULL;
  opsgraph_subscription* subscription = NULL;
  char low_id[128];
  char gated_id[128];
  int i;
  int seen;

  memset(&model, 0, sizeof model);
  pthread_mutex_init(&model.mutex, NULL);
  CHECK_STATUS(opsgraph_provider_create("canned-c", on_chat, &model, on_model_destroy, &provider),
               OPSGRAPH_OK);
  CHECK_STATUS(opsgraph_engine_options_init(&options, sizeof options), OPSGRAPH_OK);
  options.config_json =
      "{\"store\": {\"kind\": \"memory\"}, \"limits\": {\"poll_interval_ms\": 50}}";
  options.provider = provider;
  options.ignore_environment = 1;
  CHECK_STATUS(opsgraph_engine_create(&options, &engine), OPSGRAPH_OK);
  opsgraph_provider_destroy(provider); /* the engine keeps its share */
  CHECK(model.destroyed == 0);
  if (engine == NULL)
    return;
  model.engine = engine;

  test_engine_argument_errors(engine);

  init_event_log(&all, engine);
  CHECK_STATUS(
      opsgraph_engine_subscribe(engine, NULL, on_event, &all, on_event_log_destroy, &subscription),
      OPSGRAPH_OK);
  run_tasks(engine, &model, low_id, gated_id);
  cancel_held_call(engine, &model);

  pthread_mutex_lock(&all.mutex);
  CHECK(all.events > 10);
  CHECK(all.progress > 0);
  CHECK(all.schema_ok == all.events);
  /* From inside a callback: what would deadlock is refused, looking is allowed. */
  CHECK(all.tried == 1);
  CHECK(all.execute_status == OPSGRAPH_CONFLICT);
  CHECK(all.wait_status == OPSGRAPH_CONFLICT);
  CHECK(all.look_status == OPSGRAPH_OK);
  CHECK(all.status_status == OPSGRAPH_OK);
  pthread_mutex_unlock(&all.mutex);
  opsgraph_subscription_destroy(subscription);
  CHECK(all.destroyed == 1);
  seen = event_count(&all);

  for (i = 0; i < model.thread_count; ++i)
    pthread_join(model.threads[i], NULL);
  CHECK(model.late_replies == 2); /* the writer of each completed task, from another thread */
  CHECK(model.late_status == OPSGRAPH_OK);
  CHECK(model.second_status == OPSGRAPH_CONFLICT);
  CHECK(model.in_chat_execute == OPSGRAPH_CONFLICT);

  time_out_and_retry(&model);
  CHECK(event_count(&all) == seen); /* nothing after the subscription ended */

  for (i = 0; i < model.thread_count; ++i) {
    if (i >= 2)
      pthread_join(model.threads[i], NULL);
  }
  model.engine = NULL;
  opsgraph_engine_destroy(engine);
  CHECK(model.destroyed == 1); /* the last share of the provider went with the engine */
  pthread_mutex_destroy(&all.mutex);
  pthread_mutex_destroy(&model.mutex);
}

int main(void) {
  test_provider_errors();
  test_engine_options();
  test_engine();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi engine: all checks passed\n");
  return 0;
}
