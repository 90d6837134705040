/* The C ABI from C: every function of opsgraph.h outside the engine, its error paths included
 * (NULL arguments, invalid UTF-8, bad JSON, wrong handles, bad rule files). argv[1] is a scratch
 * directory. The engine, its events and providers are capi_engine_test.c. */
#include <opsgraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capi_check.h"

static void test_versions(void) {
  CHECK(strcmp(opsgraph_version(), OPSGRAPH_VERSION_STRING) == 0);
  CHECK(opsgraph_abi_version() == OPSGRAPH_ABI_VERSION);
}

static void test_status_strings(void) {
  CHECK(strcmp(opsgraph_status_string(OPSGRAPH_OK), "ok") == 0);
  CHECK(strcmp(opsgraph_status_string(OPSGRAPH_INVALID_ARGUMENT), "invalid_argument") == 0);
  CHECK(strcmp(opsgraph_status_string(OPSGRAPH_INTERNAL), "internal") == 0);
  CHECK(strcmp(opsgraph_status_string(OPSGRAPH_NULL_ARGUMENT), "null_argument") == 0);
  CHECK(strcmp(opsgraph_status_string(OPSGRAPH_UNSUPPORTED_STRUCT_SIZE),
               "unsupported_struct_size") == 0);
  CHECK(strcmp(opsgraph_status_string(12345), "unknown") == 0);
  CHECK(OPSGRAPH_NOT_FOUND == 2 && OPSGRAPH_STORAGE == 15 && OPSGRAPH_INVALID_HANDLE == 101);
}

static void test_last_error_and_strings(void) {
  const opsgraph_error* e = opsgraph_last_error();
  CHECK(e != NULL);
  CHECK_STATUS(opsgraph_router_options_init(NULL, 0), OPSGRAPH_NULL_ARGUMENT);
  e = opsgraph_last_error();
  CHECK(e->code == OPSGRAPH_NULL_ARGUMENT);
  CHECK(e->retryable == 0);
  CHECK(contains(e->message, "options"));
  CHECK(contains(e->details_json, "\"schema_version\":1"));
  {
    opsgraph_router_options options;
    CHECK_STATUS(opsgraph_router_options_init(&options, sizeof options), OPSGRAPH_OK);
  }
  e = opsgraph_last_error();
  CHECK(e->code == OPSGRAPH_OK);
  CHECK(strcmp(e->message, "") == 0);
  opsgraph_string_free(NULL);
}

static void test_router(const char* scratch) {
  opsgraph_router_options options;
  opsgraph_router* router = NULL;
  opsgraph_checker* checker = NULL;
  char* json = NULL;
  char path[1024];
  FILE* f;

  CHECK_STATUS(opsgraph_router_options_init(&options, sizeof options - 1),
               OPSGRAPH_UNSUPPORTED_STRUCT_SIZE);
  CHECK_STATUS(opsgraph_router_options_init(&options, sizeof options), OPSGRAPH_OK);
  CHECK(options.struct_size == sizeof options);
  CHECK(options.rules_path == NULL);
  CHECK(options.max_request_bytes == 16384);

  CHECK_STATUS(opsgraph_router_create(&options, NULL), OPSGRAPH_NULL_ARGUMENT);
  options.struct_size = 3;
  CHECK_STATUS(opsgraph_router_create(&options, &router), OPSGRAPH_UNSUPPORTED_STRUCT_SIZE);
  CHECK(router == NULL);
  options.struct_size = sizeof options;

  /* A rules file that does not exist, and one that is not JSON. */
  options.rules_path = "/nonexistent/opsgraph/router-rules.json";
  CHECK_STATUS(opsgraph_router_create(&options, &router), OPSGRAPH_NOT_FOUND);
  CHECK(router == NULL);
  sprintf(path, "%.1000s/bad-router-rules.json", scratch);
  f = fopen(path, "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("{\"rules\": [", f);
    fclose(f);
    options.rules_path = path;
    CHECK_STATUS(opsgraph_router_create(&options, &router), OPSGRAPH_INVALID_ARGUMENT);
    CHECK(router == NULL);
    CHECK(contains(opsgraph_last_error()->message, "bad-router-rules.json"));
    remove(path);
  }

  options.rules_path = NULL;
  CHECK_STATUS(opsgraph_router_create(&options, &router), OPSGRAPH_OK);
  CHECK(router != NULL);
  opsgraph_router_destroy(router);
  router = NULL;
  CHECK_STATUS(opsgraph_router_create(NULL, &router), OPSGRAPH_OK);
  CHECK(router != NULL);

  CHECK_STATUS(opsgraph_router_route(router, "Diagnose why APP01 is at 100% CPU", NULL, &json),
               OPSGRAPH_OK);
  CHECK(contains(json, "\"schema_version\":1"));
  CHECK(contains(json, "\"risk\""));
  CHECK(contains(json, "\"route\""));
  opsgraph_string_free(json);
  json = NULL;

  CHECK_STATUS(opsgraph_router_route(router, "Delete all user accounts in the domain",
                                     "{\"require_approval\":true,\"language\":\"powershell\","
                                     "\"context\":{\"host\":\"dc01\"}}",
                                     &json),
               OPSGRAPH_OK);
  CHECK(contains(json, "\"requires_approval\":true"));
  CHECK(contains(json, "\"language\":\"powershell\""));
  opsgraph_string_free(json);
  json = NULL;

  /* Error paths: every one leaves the out-parameter NULL. */
  json = (char*)"sentinel";
  CHECK_STATUS(opsgraph_router_route(NULL, "x", NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK(json == NULL);
  CHECK_STATUS(opsgraph_router_route(router, NULL, NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "x", NULL, NULL), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "bad \xC3\x28 text", NULL, &json),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_router_route(router, "x", "{\"context\":\"\xED\xA0\x80\"}", &json),
               OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_router_route(router, "restart IIS", "{\"require_approval\":", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK(contains(opsgraph_last_error()->message, "hints_json"));
  CHECK_STATUS(opsgraph_router_route(router, "restart IIS", "[1,2]", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "restart IIS", "{\"colour\":1}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "restart IIS", "{\"language\":\"cobol\"}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "restart IIS", "{\"require_approval\":1}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "restart IIS", "{\"context\":[1]}", &json),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_router_route(router, "", NULL, &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK(json == NULL);

  /* A handle of the other kind is refused, not misused. */
  CHECK_STATUS(opsgraph_checker_create(NULL, &checker), OPSGRAPH_OK);
  CHECK_STATUS(
      opsgraph_router_route((const opsgraph_router*)(const void*)checker, "x", NULL, &json),
      OPSGRAPH_INVALID_HANDLE);
  opsgraph_router_destroy((opsgraph_router*)(void*)checker); /* ignored: not a router */
  opsgraph_checker_destroy(checker);

  opsgraph_router_destroy(router);
  opsgraph_router_destroy(NULL);
}

static void test_checker(const char* scratch) {
  opsgraph_checker_options options;
  opsgraph_checker* checker = NULL;
  char* json = NULL;
  char path[1024];
  FILE* f;

  CHECK_STATUS(opsgraph_checker_options_init(NULL, sizeof options), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_options_init(&options, sizeof options + 8),
               OPSGRAPH_UNSUPPORTED_STRUCT_SIZE);
  CHECK_STATUS(opsgraph_checker_options_init(&options, sizeof options), OPSGRAPH_OK);
  CHECK(options.tool_timeout_ms == 10000);
  CHECK(options.max_script_bytes == 1048576);
  CHECK(options.rules_path == NULL && options.bash_path == NULL);

  CHECK_STATUS(opsgraph_checker_create(&options, NULL), OPSGRAPH_NULL_ARGUMENT);
  options.tool_timeout_ms = 0;
  CHECK_STATUS(opsgraph_checker_create(&options, &checker), OPSGRAPH_INVALID_ARGUMENT);
  options.tool_timeout_ms = 10000;
  options.rules_path = "/nonexistent/opsgraph/safety-rules.json";
  CHECK_STATUS(opsgraph_checker_create(&options, &checker), OPSGRAPH_NOT_FOUND);
  CHECK(checker == NULL);
  sprintf(path, "%.1000s/bad-safety-rules.json", scratch);
  f = fopen(path, "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("not json", f);
    fclose(f);
    options.rules_path = path;
    CHECK_STATUS(opsgraph_checker_create(&options, &checker), OPSGRAPH_INVALID_ARGUMENT);
    CHECK(checker == NULL);
    remove(path);
  }

  options.rules_path = NULL;
  options.shellcheck_path = ""; /* disabled: the result does not depend on the machine */
  options.max_script_bytes = 4096;
  CHECK_STATUS(opsgraph_checker_create(&options, &checker), OPSGRAPH_OK);
  CHECK(checker != NULL);

  CHECK_STATUS(opsgraph_checker_check(checker, "echo hello\n", "bash", &json), OPSGRAPH_OK);
  CHECK(contains(json, "\"schema_version\":1"));
  CHECK(contains(json, "\"language\":\"bash\""));
  CHECK(contains(json, "\"syntax\""));
  opsgraph_string_free(json);
  json = NULL;

  CHECK_STATUS(opsgraph_checker_scan(checker, "rm -rf / --no-preserve-root\n", "sh", &json),
               OPSGRAPH_OK);
  CHECK(contains(json, "\"schema_version\":1"));
  CHECK(contains(json, "\"findings\":[{"));
  opsgraph_string_free(json);
  json = NULL;

  CHECK_STATUS(opsgraph_checker_scan(checker, "Get-Process\n", "pwsh", &json), OPSGRAPH_OK);
  CHECK(contains(json, "\"findings\":[]"));
  opsgraph_string_free(json);
  json = NULL;

  /* Error paths. */
  json = (char*)"sentinel";
  CHECK_STATUS(opsgraph_checker_check(NULL, "x", "bash", &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK(json == NULL);
  CHECK_STATUS(opsgraph_checker_check(checker, NULL, "bash", &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_check(checker, "x", NULL, &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_check(checker, "x", "bash", NULL), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_check(checker, "echo \xFF", "bash", &json), OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_checker_check(checker, "x", "cobol", &json), OPSGRAPH_INVALID_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_scan(NULL, "x", "bash", &json), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_scan(checker, "x", "bash", NULL), OPSGRAPH_NULL_ARGUMENT);
  CHECK_STATUS(opsgraph_checker_scan(checker, "\xC0\x80", "bash", &json), OPSGRAPH_INVALID_UTF8);
  CHECK_STATUS(opsgraph_checker_scan(checker, "x", "", &json), OPSGRAPH_INVALID_ARGUMENT);
  {
    char* big = (char*)malloc(8192);
    CHECK(big != NULL);
    if (big != NULL) {
      memset(big, 'a', 8191);
      big[8191] = '\0';
      CHECK_STATUS(opsgraph_checker_scan(checker, big, "bash", &json), OPSGRAPH_PAYLOAD_TOO_LARGE);
      CHECK_STATUS(opsgraph_checker_check(checker, big, "bash", &json), OPSGRAPH_PAYLOAD_TOO_LARGE);
      free(big);
    }
  }
  CHECK(json == NULL);

  opsgraph_checker_destroy(checker);
  opsgraph_checker_destroy(NULL);
}

typedef struct log_capture {
  int records;
  int destroyed;
  char last_message[256];
} log_capture;

static void on_log(opsgraph_log_level level, const char* component, const char* message,
                   const char* fields_json, void* user_data) {
  log_capture* capture = (log_capture*)user_data;
  (void)level;
  CHECK(component != NULL && fields_json != NULL && fields_json[0] == '{');
  ++capture->records;
  sprintf(capture->last_message, "%.200s", message);
}

static void on_destroy(void* user_data) {
  ++((log_capture*)user_data)->destroyed;
}

static void test_log_callback(void) {
  log_capture capture;
  opsgraph_router* router = NULL;
  memset(&capture, 0, sizeof capture);

  CHECK_STATUS(opsgraph_log_set_callback(42, on_log, &capture, on_destroy),
               OPSGRAPH_INVALID_ARGUMENT);
  CHECK(capture.destroyed == 0);

  CHECK_STATUS(opsgraph_log_set_callback(OPSGRAPH_LOG_DEBUG, on_log, &capture, on_destroy),
               OPSGRAPH_OK);
  CHECK_STATUS(opsgraph_router_create(NULL, &router), OPSGRAPH_OK);
  CHECK(capture.records >= 1);
  CHECK(strcmp(capture.last_message, "router created") == 0);
  opsgraph_router_destroy(router);

  /* Replacing the callback releases the previous user_data exactly once. */
  CHECK_STATUS(opsgraph_log_set_callback(OPSGRAPH_LOG_OFF, NULL, NULL, NULL), OPSGRAPH_OK);
  CHECK(capture.destroyed == 1);
  capture.records = 0;
  CHECK_STATUS(opsgraph_router_create(NULL, &router), OPSGRAPH_OK);
  CHECK(capture.records == 0);
  opsgraph_router_destroy(router);
}

int main(int argc, char** argv) {
  const char* scratch = argc > 1 ? argv[1] : ".";
  test_versions();
  test_status_strings();
  test_last_error_and_strings();
  test_router(scratch);
  test_checker(scratch);
  test_log_callback();
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi: all checks passed\n");
  return 0;
}
