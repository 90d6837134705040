// Conformance: creating, reading, updating and listing task records.
#include <set>
#include <string>
#include <vector>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<std::string> ids_of(const std::vector<TaskRecord>& records) {
  std::vector<std::string> ids;
  for (const auto& record : records)
    ids.push_back(record.id);
  return ids;
}

TEST_P(StoreConformance, CreateStampsVersionAndTimesAndIgnoresLease) {
  auto record = new_task("t1");
  record.version = 42;
  record.created_at = TimePoint{milliseconds{5}};
  record.lease = Lease{"intruder", 7, clock_.now() + seconds{60}};
  record.idempotency_key = "key-1";
  auto created = tasks().create(record);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(created.value().created);
  const auto& stored = created.value().record;
  EXPECT_EQ(stored.id, "t1");
  EXPECT_EQ(stored.version, 1u);
  EXPECT_EQ(stored.created_at, clock_.now());
  EXPECT_EQ(stored.updated_at, clock_.now());
  EXPECT_FALSE(stored.lease.has_value());
  EXPECT_EQ(stored.status, "queued");
  EXPECT_EQ(stored.stage, "routing");
  EXPECT_EQ(stored.owner, "alice");
  EXPECT_EQ(stored.idempotency_key, std::optional<std::string>("key-1"));
  EXPECT_TRUE(stored.runnable);
  EXPECT_EQ(stored.body, record.body);

  auto fetched = tasks().get("t1");
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_EQ(fetched.value(), stored);
}

TEST_P(StoreConformance, CreateRejectsBadKeys) {
  EXPECT_TRUE(fails_with(tasks().create(new_task("")), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().create(new_task(std::string(kMaxKeyBytes + 1, 'x'))),
                         errc::invalid_argument));
  auto empty_key = new_task("t1");
  empty_key.idempotency_key = "";
  EXPECT_TRUE(fails_with(tasks().create(empty_key), errc::invalid_argument));
  EXPECT_TRUE(fails_with(tasks().get("t1"), errc::not_found));
  EXPECT_TRUE(tasks().create(new_task(std::string(kMaxKeyBytes, 'x'))));
}

TEST_P(StoreConformance, CreateWithAnExistingIdConflicts) {
  auto first = create_task("t1");
  auto again = new_task("t1", "failed", "bob");
  EXPECT_TRUE(fails_with(tasks().create(again), errc::conflict));
  auto stored = tasks().get("t1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored.value(), first);
}

TEST_P(StoreConformance, IdempotencyKeyReturnsTheExistingTask) {
  auto first = new_task("t1");
  first.idempotency_key = "request-77";
  ASSERT_TRUE(tasks().create(first));
  clock_.advance(seconds{1});

  auto second = new_task("t2", "in_progress", "bob");
  second.idempotency_key = "request-77";
  auto created = tasks().create(second);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_FALSE(created.value().created);
  EXPECT_EQ(created.value().record.id, "t1");
  EXPECT_EQ(created.value().record.owner, "alice");
  EXPECT_TRUE(fails_with(tasks().get("t2"), errc::not_found));

  auto found = tasks().find_by_idempotency_key("request-77");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(found.value()->id, "t1");

  auto missing = tasks().find_by_idempotency_key("request-78");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing.value().has_value());
  EXPECT_TRUE(fails_with(tasks().find_by_idempotency_key(""), errc::invalid_argument));
}

TEST_P(StoreConformance, GetUnknownTaskIsNotFound) {
  create_task("t1");
  EXPECT_TRUE(fails_with(tasks().get("t2"), errc::not_found));
}

TEST_P(StoreConformance, UpdateIsACompareAndSwapOnVersion) {
  auto original = new_task("t1");
  original.idempotency_key = "k";
  ASSERT_TRUE(tasks().create(original));
  clock_.advance(seconds{3});

  auto change = tasks().get("t1").value();
  change.status = "waiting_approval";
  change.stage = "plan_review";
  change.runnable = false;
  change.body = R"({"plan":["a","b"]})";
  change.owner = "mallory";  // not updatable
  change.idempotency_key = "other";
  auto updated = tasks().update(change, 1);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated.value().version, 2u);
  EXPECT_EQ(updated.value().status, "waiting_approval");
  EXPECT_EQ(updated.value().stage, "plan_review");
  EXPECT_FALSE(updated.value().runnable);
  EXPECT_EQ(updated.value().body, R"({"plan":["a","b"]})");
  EXPECT_EQ(updated.value().owner, "alice");
  EXPECT_EQ(updated.value().idempotency_key, std::optional<std::string>("k"));
  EXPECT_EQ(updated.value().updated_at, clock_.now());
  EXPECT_EQ(updated.value().created_at, clock_.now() - seconds{3});
  EXPECT_EQ(tasks().get("t1").value(), updated.value());

  change.status = "completed";
  auto stale = tasks().update(change, 1);
  ASSERT_TRUE(fails_with(stale, errc::conflict));
  EXPECT_FALSE(stale.error().retryable);
  EXPECT_EQ(tasks().get("t1").value().status, "waiting_approval");
  EXPECT_TRUE(fails_with(tasks().update(change, 3), errc::conflict));

  change.id = "t404";
  EXPECT_TRUE(fails_with(tasks().update(change, 1), errc::not_found));
}

TEST_P(StoreConformance, ListIsNewestFirstAndFilters) {
  create_task("a", "queued", "alice");
  clock_.advance(seconds{1});
  auto t_b = clock_.now();
  create_task("b", "completed", "bob");
  clock_.advance(seconds{1});
  create_task("c", "failed", "alice");
  clock_.advance(seconds{1});
  auto t_d = clock_.now();
  create_task("d", "queued", "bob");

  auto all = tasks().list(ListQuery{});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(ids_of(all.value().tasks), (std::vector<std::string>{"d", "c", "b", "a"}));
  EXPECT_FALSE(all.value().next_cursor.has_value());

  ListQuery by_status;
  by_status.statuses = {"queued", "failed"};
  EXPECT_EQ(ids_of(tasks().list(by_status).value().tasks),
            (std::vector<std::string>{"d", "c", "a"}));

  ListQuery by_owner;
  by_owner.owner = "bob";
  EXPECT_EQ(ids_of(tasks().list(by_owner).value().tasks), (std::vector<std::string>{"d", "b"}));

  ListQuery by_range;
  by_range.created_since = t_b;
  by_range.created_before = t_d;
  EXPECT_EQ(ids_of(tasks().list(by_range).value().tasks), (std::vector<std::string>{"c", "b"}));

  ListQuery combined = by_range;
  combined.owner = "alice";
  combined.statuses = {"failed"};
  EXPECT_EQ(ids_of(tasks().list(combined).value().tasks), (std::vector<std::string>{"c"}));

  ListQuery none;
  none.statuses = {"rejected"};
  EXPECT_TRUE(tasks().list(none).value().tasks.empty());
}

TEST_P(StoreConformance, ListRejectsBadQueries) {
  create_task("a");
  ListQuery query;
  query.limit = 0;
  EXPECT_TRUE(fails_with(tasks().list(query), errc::invalid_argument));
  query.limit = kMaxListLimit + 1;
  EXPECT_TRUE(fails_with(tasks().list(query), errc::invalid_argument));
  query.limit = kMaxListLimit;
  EXPECT_TRUE(tasks().list(query));

  query.statuses.assign(kMaxListStatuses + 1, "queued");
  EXPECT_TRUE(fails_with(tasks().list(query), errc::invalid_argument));
  query.statuses.clear();

  query.created_since = clock_.now();
  query.created_before = clock_.now() - seconds{1};
  EXPECT_TRUE(fails_with(tasks().list(query), errc::invalid_argument));
  query.created_since.reset();
  query.created_before.reset();

  // Not hex; odd length; hex of text in another format; hex of a cursor without an id.
  for (std::string cursor : {"zz", "abc", "68656c6c6f", "313a3132333a", "313a78793a61"}) {
    query.cursor = cursor;
    EXPECT_TRUE(fails_with(tasks().list(query), errc::invalid_argument)) << cursor;
  }
}

TEST_P(StoreConformance, ListPagesStayCorrectWhenTasksAreInsertedBetweenPages) {
  std::vector<std::string> expected;
  for (int i = 0; i < 25; ++i) {
    // Three tasks per millisecond, so pages also break between tasks with equal timestamps.
    if (i % 3 == 0)
      clock_.advance(milliseconds{1});
    const std::string id = (i < 10 ? "task-0" : "task-") + std::to_string(i);
    create_task(id);
    expected.insert(expected.begin(), id);
  }

  std::vector<std::string> seen;
  ListQuery query;
  query.limit = 10;
  int pages = 0;
  while (pages < 10) {
    auto page = tasks().list(query);
    ASSERT_TRUE(page) << page.error().message;
    ++pages;
    for (const auto& record : page.value().tasks)
      seen.push_back(record.id);
    // New work arrives while the caller pages, some in the same millisecond as listed tasks.
    for (int j = 0; j < 3; ++j)
      create_task("new-" + std::to_string(pages) + "-" + std::to_string(j));
    clock_.advance(milliseconds{1});
    if (!page.value().next_cursor)
      break;
    query.cursor = *page.value().next_cursor;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, expected);

  auto fresh = tasks().list(ListQuery{});
  ASSERT_TRUE(fresh);
  EXPECT_EQ(fresh.value().tasks.size(), 34u);
  EXPECT_EQ(fresh.value().tasks.front().id.substr(0, 4), "new-");
}

TEST_P(StoreConformance, ListOrdersEqualTimestampsByIdDescending) {
  for (std::string id : {"b", "d", "a", "c", "e"})
    create_task(id);
  ListQuery query;
  query.limit = 2;
  std::vector<std::string> seen;
  std::set<std::string> cursors;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = tasks().list(query).value();
    for (const auto& record : page.tasks)
      seen.push_back(record.id);
    if (!page.next_cursor)
      break;
    EXPECT_TRUE(cursors.insert(*page.next_cursor).second);
    query.cursor = *page.next_cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"e", "d", "c", "b", "a"}));
}

}  // namespace
}  // namespace opsgraph::store::testing
