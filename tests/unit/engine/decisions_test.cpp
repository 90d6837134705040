// The rules of human decisions on a task's state: which gate, which hash, repeats and conflicts.

#include "engine/decisions.hpp"

#include <gtest/gtest.h>

#include <opsgraph/agents/plan.hpp>
#include <opsgraph/agents/script.hpp>

namespace opsgraph::engine::detail {
namespace {

using coordinator::Stage;
using coordinator::TaskState;
using coordinator::TaskStatus;

TaskState waiting_at_plan() {
  TaskState state;
  state.task.task_id = "t1";
  state.task.status = TaskStatus::waiting_approval;
  state.task.stage = Stage::plan_review;
  agents::Plan plan;
  plan.steps = {"one"};
  plan.summary = "s";
  plan.hash = agents::plan_hash(plan);
  state.task.plan = plan;
  return state;
}

TaskState waiting_at_script() {
  auto state = waiting_at_plan();
  state.task.approvals.push_back(coordinator::Approval{
      Stage::plan_review, coordinator::Decision::approved, "a", {}, state.task.plan->hash, ""});
  state.task.stage = Stage::script_review;
  agents::Script script;
  script.draft.code = "Remove-Item C:\\ -Recurse";
  script.hash = agents::script_hash(script.draft);
  state.task.script = script;
  return state;
}

TEST(DecisionsTest, PlanApprovalWithoutHashMeansTheCurrentPlan) {
  auto state = waiting_at_plan();
  ApproveRequest request;
  request.actor = "alice";
  auto applied = apply_approval(state, request, {});
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied.value(), Applied::recorded);
  EXPECT_EQ(state.task.status, TaskStatus::queued);
  ASSERT_EQ(state.task.approvals.size(), 1u);
  EXPECT_EQ(state.task.approvals[0].hash, state.task.plan->hash);
  EXPECT_EQ(state.task.approvals[0].gate, Stage::plan_review);
  // The same call again is a repeat.
  EXPECT_EQ(apply_approval(state, request, {}).value(), Applied::repeated);
}

TEST(DecisionsTest, StaleHashConflicts) {
  auto state = waiting_at_plan();
  ApproveRequest request;
  request.hash = "sha256:beef";
  auto applied = apply_approval(state, request, {});
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, errc::conflict);
  EXPECT_TRUE(state.task.approvals.empty());
}

TEST(DecisionsTest, ScriptReviewNeedsTheScriptHash) {
  auto state = waiting_at_script();
  auto no_hash = apply_approval(state, ApproveRequest{}, {});
  // Without a hash the request repeats the plan approval: it never approves the script.
  ASSERT_TRUE(no_hash);
  EXPECT_EQ(no_hash.value(), Applied::repeated);
  EXPECT_EQ(state.task.status, TaskStatus::waiting_approval);

  ApproveRequest with_plan_hash;
  with_plan_hash.hash = state.task.plan->hash;
  EXPECT_EQ(apply_approval(state, with_plan_hash, {}).value(), Applied::repeated);
  EXPECT_EQ(state.task.status, TaskStatus::waiting_approval);

  ApproveRequest right;
  right.hash = state.task.script->hash;
  ASSERT_EQ(apply_approval(state, right, {}).value(), Applied::recorded);
  EXPECT_EQ(state.task.approvals.back().gate, Stage::script_review);
  EXPECT_EQ(state.task.status, TaskStatus::queued);
}

TEST(DecisionsTest, ScriptReviewWithoutAnyPlanDecisionRefusesAMissingHash) {
  auto state = waiting_at_script();
  state.task.approvals.clear();
  auto applied = apply_approval(state, ApproveRequest{}, {});
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, errc::invalid_argument);
}

TEST(DecisionsTest, RejectionEndsAndConflictsWithALaterApproval) {
  auto state = waiting_at_plan();
  RejectRequest reject;
  reject.actor = "bob";
  reject.reason = "no";
  ASSERT_EQ(apply_rejection(state, reject, {}).value(), Applied::recorded);
  EXPECT_EQ(state.task.status, TaskStatus::rejected);
  EXPECT_EQ(apply_rejection(state, reject, {}).value(), Applied::repeated);
  auto approve = apply_approval(state, ApproveRequest{}, {});
  ASSERT_FALSE(approve);
  EXPECT_EQ(approve.error().code, errc::conflict);
}

TEST(DecisionsTest, NothingToDecideWhenNotWaiting) {
  auto state = waiting_at_plan();
  state.task.status = TaskStatus::in_progress;
  state.task.stage = Stage::diagnosis;
  EXPECT_EQ(apply_approval(state, ApproveRequest{}, {}).error().code, errc::conflict);
  EXPECT_EQ(apply_rejection(state, RejectRequest{}, {}).error().code, errc::conflict);
}

}  // namespace
}  // namespace opsgraph::engine::detail
