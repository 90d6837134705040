#pragma once
// opsgraph::store::MemoryStore — a TaskStore, Checkpointer and KeyStore that keeps everything in
// process memory: for tests, examples and runs that need not outlive the process.
//
// Thread-safe (one mutex); never blocks on I/O. The clock passed in must outlive the store.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/store/checkpointer.hpp>
#include <opsgraph/store/key_store.hpp>
#include <opsgraph/store/lease_fenced_checkpointer.hpp>
#include <opsgraph/store/task_store.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::store {

/// Settings of a MemoryStore, fixed when it is constructed. A plain value.
struct MemoryStoreOptions {
  /// How many of a run's newest checkpoints are kept (0 is taken as 1).
  std::size_t checkpoint_history = 8;
};

class OPSGRAPH_API MemoryStore final : public TaskStore,
                                       public Checkpointer,
                                       public KeyStore,
                                       public LeaseFencedCheckpointer {
 public:
  explicit MemoryStore(const Clock& clock = Clock::system(), MemoryStoreOptions options = {});
  ~MemoryStore() override;
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  result<Created> create(TaskRecord record) override;
  result<Created> create_with_events(TaskRecord record, std::span<const NewEvent> events) override;
  result<TaskRecord> get(std::string_view id) override;
  result<std::optional<TaskRecord>> find_by_idempotency_key(std::string_view key) override;
  result<TaskRecord> update(const TaskRecord& record, std::uint64_t expected_version) override;
  result<Updated> update_with_events(TaskRecord record, std::uint64_t expected_version,
                                     std::span<const NewEvent> events) override;
  result<ListPage> list(const ListQuery& query) override;
  result<TaskEvent> append_event(std::string_view task_id, std::string_view type,
                                 std::string_view data_json) override;
  result<std::vector<TaskEvent>> events(std::string_view task_id, std::uint64_t after_seq,
                                        std::size_t limit) override;
  result<std::optional<TaskRecord>> claim(std::string_view worker,
                                          std::chrono::milliseconds ttl) override;
  result<Lease> renew(std::string_view id, std::uint64_t token,
                      std::chrono::milliseconds ttl) override;
  result<void> release(std::string_view id, std::uint64_t token) override;
  result<TaskCounts> count_tasks() override;

  /// Stamps created_at with the store's clock when the caller left it at the epoch.
  result<void> put(const Checkpoint& checkpoint) override;
  result<std::optional<Checkpoint>> latest(std::string_view run_id) override;
  result<std::vector<Checkpoint>> history(std::string_view run_id, std::size_t limit) override;
  result<void> erase(std::string_view run_id) override;
  result<void> erase_runs(std::span<const std::string> run_ids) override;
  result<void> put_leased(const Checkpoint& checkpoint, std::uint64_t lease_token) override;

  result<ApiKey> add_key(ApiKey key) override;
  result<std::optional<ApiKey>> find_key(std::string_view secret_hash) override;
  result<std::vector<ApiKey>> list_keys() override;
  result<ApiKey> revoke_key(std::string_view id, std::string_view actor) override;

  bool blocking() const noexcept override { return false; }

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace opsgraph::store
