// The checkpoints of finished tasks are erased in batches: a full batch at once by whoever fills
// it, a partial one after it has waited, whatever is left when the engine closes.

#include "engine/finished_runs.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <opsgraph/store/memory_store.hpp>
#include <string>
#include <vector>

namespace opsgraph::engine::detail {
namespace {

// A MemoryStore's checkpoints that records each erasure asked of it, and can be made to fail.
class RecordingCheckpointer final : public store::Checkpointer {
 public:
  result<void> put(const store::Checkpoint& checkpoint) override { return inner_.put(checkpoint); }
  result<std::optional<store::Checkpoint>> latest(std::string_view run_id) override {
    return inner_.latest(run_id);
  }
  result<std::vector<store::Checkpoint>> history(std::string_view run_id,
                                                 std::size_t limit) override {
    return inner_.history(run_id, limit);
  }
  result<void> erase(std::string_view run_id) override {
    std::lock_guard lock(mutex_);
    batches_.push_back({std::string(run_id)});
    return inner_.erase(run_id);
  }
  result<void> erase_runs(std::span<const std::string> run_ids) override {
    std::lock_guard lock(mutex_);
    batches_.emplace_back(run_ids.begin(), run_ids.end());
    if (broken_)
      return fail(errc::invalid_argument, "the checkpoints table is gone");
    return inner_.erase_runs(run_ids);
  }
  bool blocking() const noexcept override { return false; }

  std::vector<std::vector<std::string>> batches() {
    std::lock_guard lock(mutex_);
    return batches_;
  }
  void break_it() { broken_ = true; }

 private:
  store::MemoryStore inner_;
  std::mutex mutex_;
  std::vector<std::vector<std::string>> batches_;
  bool broken_ = false;
};

class FinishedRunsTest : public ::testing::Test {
 protected:
  std::string started_run(int n) {
    auto id = "task-" + std::to_string(n);
    EXPECT_TRUE(checkpoints_->put(store::Checkpoint{id, 1, "coordinator", "{}", TimePoint{}}));
    return id;
  }
  bool has_checkpoints(const std::string& id) {
    return checkpoints_->latest(id).value().has_value();
  }

  std::shared_ptr<RecordingCheckpointer> checkpoints_ = std::make_shared<RecordingCheckpointer>();
  std::vector<std::string> warnings_;
  FinishedRuns finished_{checkpoints_,
                         Logger::with_sink(LogLevel::warn, [this](const LogRecord& r) {
                           warnings_.push_back(format_logfmt(r));
                         })};
};

TEST_F(FinishedRunsTest, ErasesAFullBatchInOneCallByWhoeverFillsIt) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < FinishedRuns::kBatch; ++i)
    ids.push_back(started_run(static_cast<int>(i)));
  for (std::size_t i = 0; i + 1 < ids.size(); ++i)
    finished_.add(ids[i]);
  EXPECT_TRUE(checkpoints_->batches().empty());
  EXPECT_TRUE(has_checkpoints(ids.front())) << "kept until the batch is full";
  finished_.add(ids.back());
  ASSERT_EQ(checkpoints_->batches().size(), 1u);
  EXPECT_EQ(checkpoints_->batches().front(), ids);
  for (const auto& id : ids)
    EXPECT_FALSE(has_checkpoints(id)) << id;
}

TEST_F(FinishedRunsTest, ErasesAPartialBatchOnlyOnceItHasWaited) {
  const auto before = std::chrono::steady_clock::now();
  const auto a = started_run(1);
  const auto b = started_run(2);
  finished_.add(a);
  finished_.add(b);
  finished_.flush_if_older_than(before);
  EXPECT_TRUE(checkpoints_->batches().empty()) << "queued after that time: not yet";
  EXPECT_TRUE(has_checkpoints(a));
  finished_.flush_if_older_than(std::chrono::steady_clock::now() + std::chrono::milliseconds{1});
  ASSERT_EQ(checkpoints_->batches().size(), 1u);
  EXPECT_EQ(checkpoints_->batches().front(), (std::vector<std::string>{a, b}));
  EXPECT_FALSE(has_checkpoints(a));
  EXPECT_FALSE(has_checkpoints(b));
}

TEST_F(FinishedRunsTest, FlushErasesWhatIsQueuedAndNothingWhenNothingIs) {
  finished_.flush();
  EXPECT_TRUE(checkpoints_->batches().empty()) << "no call for an empty queue";
  const auto a = started_run(1);
  finished_.add(a);
  finished_.flush();
  ASSERT_EQ(checkpoints_->batches().size(), 1u);
  EXPECT_FALSE(has_checkpoints(a));
  finished_.flush();
  EXPECT_EQ(checkpoints_->batches().size(), 1u);
}

TEST_F(FinishedRunsTest, AFailedErasureIsLoggedAndNotRepeated) {
  const auto a = started_run(1);
  checkpoints_->break_it();
  finished_.add(a);
  finished_.flush();
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_NE(warnings_[0].find("could not erase finished tasks' checkpoints"), std::string::npos)
      << warnings_[0];
  EXPECT_NE(warnings_[0].find("first=task-1"), std::string::npos) << warnings_[0];
  EXPECT_NE(warnings_[0].find("the checkpoints table is gone"), std::string::npos) << warnings_[0];
  finished_.flush();
  EXPECT_EQ(checkpoints_->batches().size(), 1u) << "the batch is let go, not tried forever";
}

}  // namespace
}  // namespace opsgraph::engine::detail
