#include "leased_checkpointer.hpp"

#include "engine_impl.hpp"
#include "store_retry.hpp"

namespace opsgraph::engine {

LeasedCheckpointer::LeasedCheckpointer(std::shared_ptr<store::Checkpointer> inner,
                                       std::shared_ptr<store::TaskStore> tasks,
                                       const HeldTasks& held, detail::FinishedRuns& finished,
                                       Logger logger)
    : inner_(std::move(inner)),
      tasks_(std::move(tasks)),
      held_(held),
      finished_(finished),
      logger_(std::move(logger)) {
  // The store can only fence a checkpoint by a lease it keeps itself.
  if (dynamic_cast<void*>(inner_.get()) == dynamic_cast<void*>(tasks_.get()))
    fenced_ = dynamic_cast<store::LeaseFencedCheckpointer*>(inner_.get());
}

result<void> LeasedCheckpointer::put(const store::Checkpoint& checkpoint) {
  bool may_have_committed = false;
  return detail::retry_through_outage(logger_, "a checkpoint's write", checkpoint.run_id, [&] {
    auto done = attempt_put(checkpoint, may_have_committed);
    may_have_committed = true;
    return done;
  });
}

namespace {

Error lost_lease(const store::Checkpoint& checkpoint) {
  return make_error(errc::conflict, "task " + checkpoint.run_id +
                                        ": this engine lost its lease; its checkpoint of step " +
                                        std::to_string(checkpoint.step) + " is refused");
}

}  // namespace

result<void> LeasedCheckpointer::check_lease_before_put(const store::Checkpoint& checkpoint) {
  // Inside the lease's sure time nobody else can hold the task; past it (a stall, a pause), the
  // store says.
  if (held_.surely_held(checkpoint.run_id, std::chrono::steady_clock::now()))
    return ok();
  const auto token = held_.token_of(checkpoint.run_id);
  OPSGRAPH_TRY(auto record, tasks_->get(checkpoint.run_id));
  if (!token || !record.lease || record.lease->token != *token)
    return fail(lost_lease(checkpoint));
  return ok();
}

result<void> LeasedCheckpointer::attempt_put(const store::Checkpoint& checkpoint,
                                             bool may_have_committed) {
  result<void> put = ok();
  if (fenced_) {
    const auto token = held_.token_of(checkpoint.run_id);
    if (!token)
      return fail(lost_lease(checkpoint));
    put = fenced_->put_leased(checkpoint, *token);
  } else {
    OPSGRAPH_TRY(check_lease_before_put(checkpoint));
    put = inner_->put(checkpoint);
  }
  if (put || put.error().code != errc::conflict || !may_have_committed)
    return put;
  // An earlier attempt may have written it before its connection broke.
  OPSGRAPH_TRY(auto latest, inner_->latest(checkpoint.run_id));
  if (latest && latest->step == checkpoint.step && latest->data == checkpoint.data)
    return ok();
  return put;
}

result<std::optional<store::Checkpoint>> LeasedCheckpointer::latest(std::string_view run_id) {
  return detail::retry_through_outage(logger_, "a checkpoint's read", run_id,
                                      [&] { return inner_->latest(run_id); });
}

result<std::vector<store::Checkpoint>> LeasedCheckpointer::history(std::string_view run_id,
                                                                   std::size_t limit) {
  return detail::retry_through_outage(logger_, "a checkpoint history's read", run_id,
                                      [&] { return inner_->history(run_id, limit); });
}

result<void> LeasedCheckpointer::erase(std::string_view run_id) {
  finished_.add(std::string(run_id));
  return ok();
}

}  // namespace opsgraph::engine
