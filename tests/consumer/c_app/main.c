/* The program the C consumer projects build: it includes only opsgraph.h, links only
 * libopsgraph_c, and exits 0 only if the versions agree and a request routes through the ABI. */
#include <opsgraph.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

static void check(int condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "c consumer: FAILED: %s\n", what);
    ++failures;
  }
}

static void check_versions(void) {
  check(strcmp(opsgraph_version(), OPSGRAPH_VERSION_STRING) == 0,
        "opsgraph_version() is the header's OPSGRAPH_VERSION_STRING");
  check(opsgraph_abi_version() == OPSGRAPH_ABI_VERSION,
        "opsgraph_abi_version() is the header's OPSGRAPH_ABI_VERSION");
}

static void check_status_strings(void) {
  check(strcmp(opsgraph_status_string(OPSGRAPH_OK), "ok") == 0, "OPSGRAPH_OK is \"ok\"");
  check(strcmp(opsgraph_status_string(OPSGRAPH_TIMEOUT), "timeout") == 0,
        "OPSGRAPH_TIMEOUT is \"timeout\"");
  check(strcmp(opsgraph_status_string(OPSGRAPH_NULL_ARGUMENT), "null_argument") == 0,
        "OPSGRAPH_NULL_ARGUMENT is \"null_argument\"");
  check(strcmp(opsgraph_status_string(-7), "unknown") == 0, "an unknown status is \"unknown\"");
}

static void check_routing(void) {
  opsgraph_router* router = NULL;
  char* decision = NULL;
  opsgraph_status status = opsgraph_router_create(NULL, &router);
  check(status == OPSGRAPH_OK && router != NULL, "opsgraph_router_create with the built-in rules");
  if (status != OPSGRAPH_OK) {
    fprintf(stderr, "c consumer: %s: %s\n", opsgraph_status_string(status),
            opsgraph_last_error()->message);
    return;
  }

  status = opsgraph_router_route(router, "Diagnose why APP01 is at 100% CPU", NULL, &decision);
  check(status == OPSGRAPH_OK, "opsgraph_router_route succeeds");
  check(decision != NULL && strstr(decision, "\"schema_version\":1") != NULL,
        "the decision carries schema_version 1");
  check(decision != NULL && strstr(decision, "\"risk\"") != NULL, "the decision has a risk");
  opsgraph_string_free(decision);

  decision = (char*)"sentinel";
  status = opsgraph_router_route(router, NULL, NULL, &decision);
  check(status == OPSGRAPH_NULL_ARGUMENT && decision == NULL,
        "a NULL request is OPSGRAPH_NULL_ARGUMENT and leaves no decision");
  check(opsgraph_last_error()->code == OPSGRAPH_NULL_ARGUMENT, "the last error names the failure");
  opsgraph_router_destroy(router);
}

int main(void) {
  check_versions();
  check_status_strings();
  check_routing();
  if (failures != 0) {
    return 1;
  }
  printf("c consumer: ok (opsgraph %s, ABI %d)\n", opsgraph_version(), opsgraph_abi_version());
  return 0;
}
