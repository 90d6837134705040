#pragma once
// raise_open_file_limit: tests that open many sockets (a client and a server end each, in one
// process) raise their own soft RLIMIT_NOFILE first, as DESIGN.md's pitfalls ask.

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace opsgraph::testing {

/// Raises the soft limit to `wanted` descriptors; fails the test when the hard limit is lower.
inline void raise_open_file_limit(rlim_t wanted) {
  rlimit limit{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
  if (limit.rlim_cur >= wanted)
    return;
  ASSERT_GE(limit.rlim_max, wanted) << "the hard RLIMIT_NOFILE is too low for this test";
  limit.rlim_cur = wanted;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
}

}  // namespace opsgraph::testing
