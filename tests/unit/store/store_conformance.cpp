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

}  // namespace opsgraph::store::testing
