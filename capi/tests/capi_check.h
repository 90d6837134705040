/* The checks the C tests of opsgraph.h share: CHECK and CHECK_STATUS count failures in
 * `failures` (one counter per test program) and print where they happened. */
#ifndef OPSGRAPH_CAPI_CHECK_H
#define OPSGRAPH_CAPI_CHECK_H

#include <opsgraph.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond)                                                     \
  do {                                                                  \
    if (!(cond)) {                                                      \
      fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                       \
    }                                                                   \
  } while (0)

#define CHECK_STATUS(call, expected)                                                   \
  do {                                                                                 \
    opsgraph_status got_ = (call);                                                     \
    if (got_ != (expected)) {                                                          \
      fprintf(stderr, "%s:%d: %s = %s (%s), expected %s\n", __FILE__, __LINE__, #call, \
              opsgraph_status_string(got_), opsgraph_last_error()->message,            \
              opsgraph_status_string(expected));                                       \
      ++failures;                                                                      \
    }                                                                                  \
  } while (0)

static int contains(const char* text, const char* part) {
  return text != NULL && strstr(text, part) != NULL;
}

#endif /* OPSGRAPH_CAPI_CHECK_H */
