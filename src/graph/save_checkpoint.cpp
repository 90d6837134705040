#include <opsgraph/store/checkpointer.hpp>

#include "graph/execute.hpp"
#include "graph/snapshot.hpp"

namespace opsgraph::graph::detail {

namespace {

std::vector<std::string> names(const GraphSpec& graph, const std::vector<std::size_t>& nodes) {
  std::vector<std::string> out;
  out.reserve(nodes.size());
  for (auto n : nodes)
    out.push_back(graph.nodes[n].name);
  return out;
}

}  // namespace

Task<result<void>> save_checkpoint(std::shared_ptr<ActiveRun> run, std::string status,
                                   std::optional<Error> error) {
  auto checkpointer = run->env.checkpointer;
  if (!checkpointer)
    co_return ok();
  const Frame& top = run->top;
  Snapshot s;
  s.graph = run->graph->name;
  s.status = std::move(status);
  s.steps = top.steps;
  s.step_limit = run->step_limit;
  s.pending = names(*run->graph, top.pending);
  s.done = names(*run->graph, top.done);
  for (auto& arrived : top.join_arrivals)
    s.joins.push_back(names(*run->graph, arrived));
  s.attempts.assign(run->attempts.begin(), run->attempts.end());
  s.interrupts = top.interrupts;
  s.error = std::move(error);
  s.deadline = run->deadline;

  store::Checkpoint checkpoint;
  try {
    checkpoint.data = encode_snapshot(s, run->graph->state.encode(top.state.get()));
  } catch (...) {
    co_return error_from_current_exception("encoding the state of run " + run->run_id);
  }
  checkpoint.run_id = run->run_id;
  checkpoint.step = ++run->checkpoint_seq;
  checkpoint.graph = run->graph->name;
  checkpoint.created_at = run->env.clock->now();
  if (!checkpointer->blocking())
    co_return checkpointer->put(checkpoint);
  auto job = run->env.blocking->run(
      [checkpointer, checkpoint = std::move(checkpoint)] { return checkpointer->put(checkpoint); });
  co_return co_await std::move(job);
}

Task<result<void>> erase_checkpoints(std::shared_ptr<ActiveRun> run) {
  auto checkpointer = run->env.checkpointer;
  if (!checkpointer)
    co_return ok();
  if (!checkpointer->blocking())
    co_return checkpointer->erase(run->run_id);
  auto job =
      run->env.blocking->run([checkpointer, id = run->run_id] { return checkpointer->erase(id); });
  co_return co_await std::move(job);
}

}  // namespace opsgraph::graph::detail
