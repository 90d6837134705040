// hello_graph: a small approval workflow on opsgraph's graph runtime, durable in a SQLite file.
// It shows parallel branches, an interrupt that waits for a human, events, and resume.
//
//   hello_graph [--db FILE] [--approve | --reject]
// With a terminal it asks for the approval; without one, the flag answers (default: --approve).

#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <iostream>
#include <opsgraph/graph/runner.hpp>
#include <opsgraph/store/sqlite_store.hpp>
#include <string>

namespace {

using namespace opsgraph;
using namespace std::chrono_literals;

struct Ticket {
  std::string request;
  std::string diagnosis;
  std::string plan;
  std::string decision;
  std::vector<std::string> log;
};

}  // namespace

template <>
struct opsgraph::json::Schema<Ticket> {
  static constexpr auto fields =
      std::make_tuple(json::field("request", &Ticket::request),
                      json::optional_field("diagnosis", &Ticket::diagnosis),
                      json::optional_field("plan", &Ticket::plan),
                      json::optional_field("decision", &Ticket::decision),
                      json::optional_field("log", &Ticket::log));
};

namespace {

// Read-only work that runs beside the approval: a coroutine, holding no thread while it waits.
Task<result<void>> diagnose(Ticket& t, graph::NodeContext& ctx) {
  boost::asio::steady_timer look(ctx.executor(), 200ms);
  co_await look.async_wait(boost::asio::use_awaitable);
  t.diagnosis = "a runaway process started after the patch";
  t.log.push_back("diagnosed");
  co_return ok();
}

// The gate: asks once, and continues with the answer when the run is resumed.
result<void> approve(Ticket& t, graph::NodeContext& ctx) {
  if (const json::Value* answer = ctx.resume_value()) {
    t.decision = answer->if_string() ? *answer->if_string() : "rejected";
    t.log.push_back("decision: " + t.decision);
    return ok();
  }
  json::Value question;
  question.set("plan", t.plan);
  question.set("question", "run this plan?");
  ctx.interrupt(std::move(question));
  return ok();
}

// Folds what a parallel branch changed into the run's state.
void merge(Ticket& into, Ticket&& branch) {
  if (!branch.diagnosis.empty())
    into.diagnosis = std::move(branch.diagnosis);
  if (!branch.decision.empty())
    into.decision = std::move(branch.decision);
  for (auto& line : branch.log) {
    if (std::find(into.log.begin(), into.log.end(), line) == into.log.end())
      into.log.push_back(line);
  }
}

result<graph::CompiledGraph<Ticket>> build() {
  graph::StateGraph<Ticket> g("hello-approval");
  g.add_node("plan", [](Ticket& t) {
    t.plan = "collect diagnostics on the host, then restart the service";
    t.log.push_back("planned");
  });
  g.add_node("diagnose", diagnose, graph::NodeOptions{.retry = graph::RetryPolicy::attempts(3)});
  g.add_node("approve", approve);
  g.add_node("act", [](Ticket& t) {
    t.log.push_back(t.decision == "approved" ? "acted on the plan" : "left the system alone");
  });
  g.set_entry("plan").add_edge("plan", "diagnose").add_edge("plan", "approve");
  g.add_join({"diagnose", "approve"}, "act").add_edge("act", std::string(graph::kEnd));
  g.set_reducer(merge);
  return g.compile();
}

std::string ask(const json::Value& question, const std::string& flag_answer) {
  if (!isatty(STDIN_FILENO))
    return flag_answer;
  std::cout << "  " << *question.find("question")->if_string() << " [y/N] " << std::flush;
  std::string line;
  std::getline(std::cin, line);
  return !line.empty() && (line[0] == 'y' || line[0] == 'Y') ? "approved" : "rejected";
}

int fail_with(const Error& e) {
  std::fprintf(stderr, "hello_graph: %s (%s)\n", e.message.c_str(),
               std::string(to_string(e.code)).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db = "hello_graph.db", answer = "approved";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db" && i + 1 < argc) {
      db = argv[++i];
    } else if (arg == "--approve" || arg == "--reject") {
      answer = arg == "--approve" ? "approved" : "rejected";
    } else {
      std::fprintf(stderr, "usage: hello_graph [--db FILE] [--approve | --reject]\n");
      return 2;
    }
  }

  auto store = store::SqliteStore::open(db);
  if (!store)
    return fail_with(store.error());
  auto graph = build();
  if (!graph)
    return fail_with(graph.error());

  graph::Runner runner(graph::RunnerOptions{.checkpointer = std::move(store).value()});
  runner.add_observer([](const graph::Event& e) {
    if (e.type == graph::EventType::node_finished || e.type == graph::EventType::interrupted) {
      std::printf("  [step %llu] %s %s\n", static_cast<unsigned long long>(e.step),
                  std::string(to_string(e.type)).c_str(), std::string(e.node).c_str());
    }
  });

  std::printf("run: APP01 is at 100%% CPU since patching\n");
  Ticket ticket;
  ticket.request = "APP01 is at 100% CPU since patching";
  auto first = runner.invoke(graph.value(), std::move(ticket));
  if (!first)
    return fail_with(first.error());
  auto run = std::move(first).value();
  while (run.status == graph::RunStatus::interrupted) {
    const auto& waiting = run.interrupts.front();
    std::printf("  waiting at %s: %s\n", waiting.node.c_str(), json::dump(waiting.payload).c_str());
    auto resumed =
        runner.resume_sync(graph.value(), run.run_id, json::Value(ask(waiting.payload, answer)));
    if (!resumed)
      return fail_with(resumed.error());
    run = std::move(resumed).value();
  }
  std::printf("run %s %s after %llu steps (checkpoints in %s)\n", run.run_id.c_str(),
              std::string(to_string(run.status)).c_str(),
              static_cast<unsigned long long>(run.steps), db.c_str());
  for (auto& line : run.state.log)
    std::printf("  - %s\n", line.c_str());
  return run.status == graph::RunStatus::completed ? 0 : 1;
}
