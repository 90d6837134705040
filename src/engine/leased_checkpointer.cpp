#include "leased_checkpointer.hpp"

#include <algorithm>
#include <thread>

#include "engine_impl.hpp"

namespace opsgraph::engine {

LeasedCheckpointer::LeasedCheckpointer(std::shared_ptr<store::Checkpointer> inner,
                                       std::shared_ptr<store::TaskStore> tasks,
                                       const HeldTasks& held, Logger logger)
    : inner_(std::move(inner)), tasks_(std::move(tasks)), held_(held), logger_(std::move(logger)) {}

// Calls `call` until it succeeds, fails for good, or kRetryFor has passed.
template <class Call>
auto LeasedCheckpointer::retrying(std::string_view run_id, Call call) -> decltype(call()) {
  const auto deadline = std::chrono::steady_clock::now() + kRetryFor;
  auto backoff = std::chrono::milliseconds{100};
  for (;;) {
    auto done = call();
    if (done || !done.error().retryable || std::chrono::steady_clock::now() >= deadline)
      return done;
    logger_.warn("engine", "retrying a checkpoint call",
                 {{"task", run_id}, {"error", done.error().message}});
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds{2000});
  }
}

result<void> LeasedCheckpointer::put(const store::Checkpoint& checkpoint) {
  bool may_have_committed = false;
  return retrying(checkpoint.run_id, [&] {
    auto done = attempt_put(checkpoint, may_have_committed);
    may_have_committed = true;
    return done;
  });
}

result<void> LeasedCheckpointer::attempt_put(const store::Checkpoint& checkpoint,
                                             bool may_have_committed) {
  // Inside the lease's sure time nobody else can hold the task; past it (a stall, a pause), the
  // store says.
  if (!held_.surely_held(checkpoint.run_id, std::chrono::steady_clock::now())) {
    const auto token = held_.token_of(checkpoint.run_id);
    OPSGRAPH_TRY(auto record, tasks_->get(checkpoint.run_id));
    if (!token || !record.lease || record.lease->token != *token) {
      return fail(errc::conflict, "task " + checkpoint.run_id +
                                      ": this engine lost its lease; its checkpoint of step " +
                                      std::to_string(checkpoint.step) + " is refused");
    }
  }
  auto put = inner_->put(checkpoint);
  if (put || put.error().code != errc::conflict || !may_have_committed)
    return put;
  // An earlier attempt may have written it before its connection broke.
  OPSGRAPH_TRY(auto latest, inner_->latest(checkpoint.run_id));
  if (latest && latest->step == checkpoint.step && latest->data == checkpoint.data)
    return ok();
  return put;
}

result<std::optional<store::Checkpoint>> LeasedCheckpointer::latest(std::string_view run_id) {
  return retrying(run_id, [&] { return inner_->latest(run_id); });
}

result<std::vector<store::Checkpoint>> LeasedCheckpointer::history(std::string_view run_id,
                                                                   std::size_t limit) {
  return retrying(run_id, [&] { return inner_->history(run_id, limit); });
}

result<void> LeasedCheckpointer::erase(std::string_view run_id) {
  return retrying(run_id, [&] { return inner_->erase(run_id); });
}

}  // namespace opsgraph::engine
