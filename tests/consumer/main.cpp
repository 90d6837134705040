// The program every consumer project builds: it includes opsgraph's public headers the way a
// user does and exits 0 only if the error model behaves as documented.
#include <cstdio>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/result.hpp>
#include <string_view>

namespace {

opsgraph::result<int> slow_call() {
  return opsgraph::fail(opsgraph::errc::timeout, "too slow");
}

bool check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "consumer: FAILED: %s\n", what);
  }
  return condition;
}

}  // namespace

int main() {
  using opsgraph::errc;
  const opsgraph::Error error = opsgraph::make_error(errc::timeout, "took 31 s");
  const opsgraph::result<int> failed = slow_call();
  const opsgraph::result<int> succeeded = 42;

  bool ok = true;
  ok &= check(opsgraph::to_string(errc::timeout) == std::string_view("timeout"),
              "to_string(errc::timeout) == \"timeout\"");
  ok &= check(error.code == errc::timeout, "make_error keeps the code");
  ok &= check(error.message == "took 31 s", "make_error keeps the message");
  ok &= check(error.retryable == opsgraph::is_retryable(errc::timeout),
              "make_error takes retryable from is_retryable");
  ok &= check(!failed && failed.error().code == errc::timeout, "fail() yields a failed result");
  ok &= check(succeeded && succeeded.value() == 42, "a result holds its value");
  ok &= check(
      std::string_view(opsgraph::make_error_code(errc::timeout).category().name()) == "opsgraph",
      "errc's category is named opsgraph");
  if (!ok) {
    return 1;
  }
  std::printf("consumer: ok (errc::timeout is \"%.*s\")\n",
              static_cast<int>(opsgraph::to_string(errc::timeout).size()),
              opsgraph::to_string(errc::timeout).data());
  return 0;
}
