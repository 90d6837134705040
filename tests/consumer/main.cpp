// The program every consumer project builds: it includes opsgraph's public headers the way a
// user does and exits 0 only if the error model behaves as documented and a graph runs.
#include <cstdio>
#include <opsgraph/core/error.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/graph/runner.hpp>
#include <string>
#include <string_view>

namespace {

struct Counter {
  int value = 0;
};

}  // namespace

template <>
struct opsgraph::json::Schema<Counter> {
  static constexpr auto fields = std::make_tuple(json::field("value", &Counter::value));
};

namespace {

// Two steps of a compiled graph through a Runner: headers, templates and the library link up.
bool graph_runs() {
  namespace graph = opsgraph::graph;
  graph::StateGraph<Counter> g("consumer");
  g.add_node("add", [](Counter& c) { c.value += 40; });
  g.add_node("add_more", [](Counter& c) { c.value += 2; });
  g.set_entry("add").add_edge("add", "add_more").add_edge("add_more", std::string(graph::kEnd));
  auto compiled = g.compile();
  if (!compiled)
    return false;
  graph::Runner runner(graph::RunnerOptions{.io_threads = 1, .blocking_threads = 1});
  auto run = runner.invoke(compiled.value(), Counter{});
  return run && run.value().status == graph::RunStatus::completed && run.value().state.value == 42;
}

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
  ok &= check(graph_runs(), "a two-node graph runs to completion");
  if (!ok) {
    return 1;
  }
  std::printf("consumer: ok (errc::timeout is \"%.*s\")\n",
              static_cast<int>(opsgraph::to_string(errc::timeout).size()),
              opsgraph::to_string(errc::timeout).data());
  return 0;
}
