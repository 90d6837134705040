// The WriterGraph's node: the email, summary, report and action items, grounded in the
// diagnosis and the final script.

#include <algorithm>
#include <opsgraph/agents/documents.hpp>

#include "agent_inputs.hpp"
#include "workflow.hpp"

namespace opsgraph::coordinator::detail {

Task<result<void>> Workflow::write(TaskState& state, graph::NodeContext& ctx) {
  state.task.status = TaskStatus::in_progress;
  state.task.stage = Stage::writing;
  auto job = agents::ask_as<agents::Documents>(parts_.agents->writer, *parts_.provider,
                                               writer_input(state), state.task.usage,
                                               call_labels(state, ctx));
  auto documents = co_await std::move(job);
  if (!documents)
    co_return documents.error();
  auto& written = documents.value();
  const auto& ex = state.decision.exclusions;
  const bool email_declined = std::find(ex.begin(), ex.end(), router::Exclusion::email) != ex.end();
  if (email_declined || !written.email) {
    state.task.email.reset();
    state.task.email_draft.reset();
  } else {
    state.task.email_draft = agents::email_draft(*written.email);
    state.task.email = std::move(written.email);
  }
  state.task.summary = std::move(written.summary);
  state.task.report_markdown = std::move(written.report_markdown);
  state.task.action_items = std::move(written.action_items);
  co_return ok();
}

}  // namespace opsgraph::coordinator::detail
