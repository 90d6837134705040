#include "store_conformance.hpp"

namespace opsgraph::store::testing {

void PrintTo(const Backend& backend, std::ostream* out) {
  *out << backend.name;
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

TaskRecord new_task(const std::string& id, const std::string& status, const std::string& owner) {
  TaskRecord record;
  record.id = id;
  record.status = status;
  record.stage = "routing";
  record.owner = owner;
  record.runnable = true;
  record.body = R"({"request":")" + id + R"("})";
  return record;
}

void StoreConformance::SetUp() {
  store_dir_ = new_store_dir();
  store_ = open_in(store_dir_, BackendOptions{});
  ASSERT_NE(store_.tasks, nullptr);
  ASSERT_NE(store_.checkpoints, nullptr);
  ASSERT_NE(store_.keys, nullptr);
}

StoreHandle StoreConformance::open_another(const BackendOptions& options) {
  return open_in(new_store_dir(), options);
}

StoreHandle StoreConformance::reopen() {
  return open_in(store_dir_, BackendOptions{});
}

std::filesystem::path StoreConformance::new_store_dir() {
  auto dir = dir_.path() / ("store-" + std::to_string(++opened_));
  std::error_code ec;
  std::filesystem::create_directory(dir, ec);
  EXPECT_FALSE(ec) << ec.message();
  return dir;
}

StoreHandle StoreConformance::open_in(const std::filesystem::path& dir,
                                      const BackendOptions& options) {
  auto opened = GetParam().open(clock_, dir, options);
  if (!opened) {
    ADD_FAILURE() << "opening a " << GetParam().name << " store failed: " << opened.error().message;
    return {};
  }
  return std::move(opened).value();
}

TaskRecord StoreConformance::create_task(const std::string& id, const std::string& status,
                                         const std::string& owner) {
  auto created = tasks().create(new_task(id, status, owner));
  EXPECT_TRUE(created) << (created ? "" : created.error().message);
  if (!created)
    return {};
  EXPECT_TRUE(created.value().created);
  return created.value().record;
}

namespace {

const std::string kOldKeyHash = "sha256:" + std::string(64, '1');
const std::string kLiveKeyHash = "sha256:" + std::string(64, '2');

}  // namespace

void add_keys_before_upgrade(KeyStore& keys) {
  ASSERT_TRUE(keys.add_key(ApiKey{"old", "ci", "operator", kOldKeyHash, "cli", {}, {}, {}}));
  ASSERT_TRUE(keys.add_key(ApiKey{"live", "ci", "viewer", kLiveKeyHash, "cli", {}, {}, {}}));
  ASSERT_TRUE(keys.revoke_key("old", "cli"));
}

void lease_tasks_before_upgrade(TaskStore& tasks, ManualClock& clock) {
  for (const char* id : {"t1", "t2", "t3", "t4"}) {
    ASSERT_TRUE(tasks.create(new_task(id)));
    clock.advance(std::chrono::seconds{1});
  }
  ASSERT_EQ(tasks.claim("w1", std::chrono::seconds{5}).value()->id, "t1");
  clock.advance(std::chrono::seconds{3});
  ASSERT_EQ(tasks.claim("w2", std::chrono::seconds{60}).value()->id, "t2");
  clock.advance(std::chrono::seconds{3});  // t1's lease has expired, t2's has not
}

void expect_claims_after_upgrade(TaskStore& tasks) {
  EXPECT_EQ(tasks.count_tasks().value().queued_unclaimed, 3u);
  std::vector<std::string> claimed;
  while (auto next = tasks.claim("w3", std::chrono::seconds{60}).value())
    claimed.push_back(next->id);
  EXPECT_EQ(claimed, (std::vector<std::string>{"t1", "t3", "t4"}));
  EXPECT_EQ(tasks.count_tasks().value().queued_unclaimed, 0u);
}

void expect_keys_after_upgrade(KeyStore& keys, TimePoint revoked_at, TimePoint now) {
  auto old = keys.find_key(kOldKeyHash);
  ASSERT_TRUE(old && old.value().has_value());
  EXPECT_EQ(old.value()->revoked_at, revoked_at);
  EXPECT_EQ(old.value()->revoked_by, "") << "who revoked it was never recorded";
  auto revoked = keys.revoke_key("live", "key-admin");
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(revoked.value().revoked_at, now);
  EXPECT_EQ(keys.find_key(kLiveKeyHash).value()->revoked_by, "key-admin");
}

}  // namespace opsgraph::store::testing
