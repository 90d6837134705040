// Conformance: the KeyStore side of every store.
#include <atomic>
#include <barrier>
#include <opsgraph/core/sha256.hpp>
#include <string>
#include <thread>
#include <vector>

#include "store_conformance.hpp"

namespace opsgraph::store::testing {
namespace {

using std::chrono::seconds;

// A well-formed hash whose hex digits all read `digit`.
std::string hash_of(char digit) {
  return "sha256:" + std::string(64, digit);
}

ApiKey new_key(const std::string& id, char hash_digit = 'a') {
  ApiKey key;
  key.id = id;
  key.name = "ci for " + id;
  key.role = "operator";
  key.secret_hash = hash_of(hash_digit);
  key.created_by = "cli";
  return key;
}

// Every field of a key, for comparisons whose failures show what differs.
std::string describe(const ApiKey& key) {
  return key.id + " | " + key.name + " | " + key.role + " | " + key.secret_hash + " | " +
         key.created_by + " | " + format_timestamp(key.created_at) + " | " +
         (key.revoked_at ? format_timestamp(*key.revoked_at) : "not revoked") + " by '" +
         key.revoked_by + "'";
}

std::vector<std::string> ids_of(const std::vector<ApiKey>& keys) {
  std::vector<std::string> ids;
  for (const auto& key : keys)
    ids.push_back(key.id);
  return ids;
}

TEST_P(StoreConformance, AnAddedKeyIsStampedAndFoundByItsHash) {
  auto added = keys().add_key(new_key("key-1"));
  ASSERT_TRUE(added) << added.error().message;
  auto expected = new_key("key-1");
  expected.created_at = clock_.now();
  EXPECT_EQ(describe(added.value()), describe(expected));

  auto found = keys().find_key(hash_of('a'));
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value().has_value());
  EXPECT_EQ(describe(*found.value()), describe(expected));

  auto hashed = new_key("key-2");
  hashed.secret_hash = content_hash("s3cret");
  ASSERT_TRUE(keys().add_key(hashed)) << "the form opsgraph hashes secrets in";
  EXPECT_EQ(keys().find_key(content_hash("s3cret")).value()->id, "key-2");
}

TEST_P(StoreConformance, AddingAKeyIgnoresTheCallersTimes) {
  auto key = new_key("key-1");
  key.created_at = clock_.now() - seconds{3600};
  key.revoked_at = clock_.now() - seconds{60};
  key.revoked_by = "someone";
  auto added = keys().add_key(key);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added.value().created_at, clock_.now());
  EXPECT_FALSE(added.value().revoked_at.has_value());
  EXPECT_EQ(added.value().revoked_by, "");
  auto found = keys().find_key(key.secret_hash).value();
  EXPECT_FALSE(found->revoked_at.has_value());
  EXPECT_EQ(found->revoked_by, "");
}

TEST_P(StoreConformance, KeysAreListedOldestFirstThenById) {
  auto none = keys().list_keys();
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none.value().empty());

  ASSERT_TRUE(keys().add_key(new_key("key-b", '1')));
  ASSERT_TRUE(keys().add_key(new_key("key-a", '2')));
  clock_.advance(seconds{1});
  ASSERT_TRUE(keys().add_key(new_key("key-0", '3')));
  auto listed = keys().list_keys();
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(ids_of(listed.value()), (std::vector<std::string>{"key-a", "key-b", "key-0"}));
  EXPECT_EQ(listed.value()[2].created_at, clock_.now());
  EXPECT_EQ(listed.value()[0].secret_hash, hash_of('2'));
}

TEST_P(StoreConformance, ATakenIdConflictsAndStoresNothing) {
  ASSERT_TRUE(keys().add_key(new_key("key-1", 'a')));
  auto again = new_key("key-1", 'b');
  again.name = "another";
  EXPECT_TRUE(fails_with(keys().add_key(again), errc::conflict));
  EXPECT_FALSE(keys().find_key(hash_of('b')).value().has_value());
  auto listed = keys().list_keys().value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name, "ci for key-1");
}

TEST_P(StoreConformance, ATakenHashConflictsAndStoresNothing) {
  ASSERT_TRUE(keys().add_key(new_key("key-1", 'a')));
  EXPECT_TRUE(fails_with(keys().add_key(new_key("key-2", 'a')), errc::conflict));
  EXPECT_EQ(keys().find_key(hash_of('a')).value()->id, "key-1");
  EXPECT_EQ(ids_of(keys().list_keys().value()), std::vector<std::string>{"key-1"});
  EXPECT_TRUE(keys().add_key(new_key("key-2", 'b'))) << "the id itself was free";
}

TEST_P(StoreConformance, AddingRejectsEveryInvalidFieldAndStoresNothing) {
  const std::string longest(kMaxKeyFieldBytes, 'x');
  const std::string too_long(kMaxKeyFieldBytes + 1, 'x');
  const std::string with_nul("a\0b", 3);
  std::vector<std::string ApiKey::*> fields{&ApiKey::id, &ApiKey::name, &ApiKey::role,
                                            &ApiKey::created_by};
  for (auto field : fields) {
    for (const auto& bad : {std::string{}, too_long, with_nul}) {
      auto key = new_key("key-1");
      key.*field = bad;
      EXPECT_TRUE(fails_with(keys().add_key(key), errc::invalid_argument))
          << "a field of " << bad.size() << " bytes";
    }
  }
  const std::vector<std::string> bad_hashes{
      "",
      std::string(64, 'a'),                     // no prefix
      "sha256:" + std::string(63, 'a'),         // too short
      "sha256:" + std::string(65, 'a'),         // too long
      "sha256:" + std::string(63, 'a') + "A",   // upper case
      "sha256:" + std::string(63, 'a') + "g",   // not hex
      "SHA256:" + std::string(64, 'a'),         // upper-case prefix
      "sha512:" + std::string(64, 'a'),         // another algorithm
      "sha256: " + std::string(63, 'a'),        // a space
      "sha256:" + std::string(63, 'a') + '\0',  // a NUL byte
  };
  for (const auto& hash : bad_hashes) {
    auto key = new_key("key-1");
    key.secret_hash = hash;
    EXPECT_TRUE(fails_with(keys().add_key(key), errc::invalid_argument)) << "hash " << hash;
  }
  EXPECT_TRUE(keys().list_keys().value().empty());

  auto edge = new_key(longest);
  edge.name = edge.role = edge.created_by = longest;
  auto added = keys().add_key(edge);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(keys().find_key(edge.secret_hash).value()->created_by, longest);
}

TEST_P(StoreConformance, FindingAMalformedHashIsAnInvalidArgument) {
  ASSERT_TRUE(keys().add_key(new_key("key-1", 'a')));
  EXPECT_TRUE(fails_with(keys().find_key(""), errc::invalid_argument));
  EXPECT_TRUE(fails_with(keys().find_key(std::string(64, 'a')), errc::invalid_argument));
  EXPECT_TRUE(
      fails_with(keys().find_key("sha256:" + std::string(64, 'A')), errc::invalid_argument));
  auto unknown = keys().find_key(hash_of('b'));
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_FALSE(unknown.value().has_value());
}

TEST_P(StoreConformance, RevokingAnUnknownKeyIsNotFound) {
  ASSERT_TRUE(keys().add_key(new_key("key-1")));
  EXPECT_TRUE(fails_with(keys().revoke_key("key-2", "cli"), errc::not_found));
  EXPECT_TRUE(fails_with(keys().revoke_key("", "cli"), errc::not_found));
  EXPECT_FALSE(keys().find_key(hash_of('a')).value()->revoked_at.has_value());
}

TEST_P(StoreConformance, RevokingNeedsAValidActorAndChangesNothingWithout) {
  ASSERT_TRUE(keys().add_key(new_key("key-1")));
  const std::string with_nul("a\0b", 3);
  for (const auto& bad : {std::string{}, std::string(kMaxKeyFieldBytes + 1, 'x'), with_nul}) {
    EXPECT_TRUE(fails_with(keys().revoke_key("key-1", bad), errc::invalid_argument))
        << "an actor of " << bad.size() << " bytes";
  }
  auto key = keys().find_key(hash_of('a')).value();
  EXPECT_FALSE(key->revoked_at.has_value());
  EXPECT_EQ(key->revoked_by, "");

  const std::string longest(kMaxKeyFieldBytes, 'x');
  auto revoked = keys().revoke_key("key-1", longest);
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_EQ(keys().find_key(hash_of('a')).value()->revoked_by, longest);
}

TEST_P(StoreConformance, RevokingStampsTheKeyOnceAndKeepsIt) {
  auto added = keys().add_key(new_key("key-1", 'a')).value();
  ASSERT_TRUE(keys().add_key(new_key("key-2", 'b')));
  clock_.advance(seconds{10});
  const auto revoked_at = clock_.now();
  auto revoked = keys().revoke_key("key-1", "key-admin");
  ASSERT_TRUE(revoked) << revoked.error().message;
  auto expected = added;
  expected.revoked_at = revoked_at;
  expected.revoked_by = "key-admin";
  EXPECT_EQ(describe(revoked.value()), describe(expected));

  clock_.advance(seconds{10});
  auto again = keys().revoke_key("key-1", "cli");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(describe(again.value()), describe(expected))
      << "the first revocation's time and actor stay";

  auto found = keys().find_key(hash_of('a'));
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found.value().has_value()) << "a revoked key is still found";
  EXPECT_EQ(describe(*found.value()), describe(expected));
  auto listed = keys().list_keys().value();
  ASSERT_EQ(ids_of(listed), (std::vector<std::string>{"key-1", "key-2"}));
  EXPECT_EQ(describe(listed[0]), describe(expected));
  EXPECT_FALSE(listed[1].revoked_at.has_value()) << "only the named key is revoked";
  EXPECT_EQ(listed[1].revoked_by, "");
  EXPECT_TRUE(fails_with(keys().add_key(new_key("key-3", 'a')), errc::conflict))
      << "a revoked key's hash stays taken";
}

// Several actors revoke one key at once: one of them is recorded, and every call returns that one.
TEST_P(StoreConformance, ConcurrentRevocationsRecordOneActor) {
  constexpr int kThreads = 8;
  ASSERT_TRUE(keys().add_key(new_key("key-1")));
  std::barrier start(kThreads);
  std::vector<result<ApiKey>> answers(kThreads, fail(errc::internal, "not answered"));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      answers[t] = keys().revoke_key("key-1", "actor-" + std::to_string(t));
    });
  }
  for (auto& thread : threads)
    thread.join();
  auto stored = keys().find_key(hash_of('a')).value();
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->revoked_by.starts_with("actor-")) << stored->revoked_by;
  for (const auto& answer : answers) {
    ASSERT_TRUE(answer) << answer.error().message;
    EXPECT_EQ(describe(answer.value()), describe(*stored));
  }
}

TEST_P(StoreConformance, KeysSurviveReopeningTheStore) {
  if (!GetParam().durable)
    GTEST_SKIP() << GetParam().name << " keeps nothing once closed";
  ASSERT_TRUE(keys().add_key(new_key("key-1", 'a')));
  clock_.advance(seconds{1});
  ASSERT_TRUE(keys().add_key(new_key("key-2", 'b')));
  clock_.advance(seconds{1});
  ASSERT_TRUE(keys().revoke_key("key-1", "key-admin"));
  auto before = keys().list_keys().value();
  store_ = {};

  auto reopened = reopen();
  ASSERT_NE(reopened.keys, nullptr);
  auto after = reopened.keys->list_keys();
  ASSERT_TRUE(after) << after.error().message;
  ASSERT_EQ(after.value().size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i)
    EXPECT_EQ(describe(after.value()[i]), describe(before[i]));
  EXPECT_EQ(reopened.keys->find_key(hash_of('b')).value()->id, "key-2");
  EXPECT_TRUE(fails_with(reopened.keys->add_key(new_key("key-3", 'a')), errc::conflict));
}

// Several threads add keys that share a hash (each with an id of its own), then keys that share
// an id: each time exactly one is stored and every other call gets conflict.
TEST_P(StoreConformance, ConcurrentAddsOfOneHashOrIdStoreOneKey) {
  constexpr int kThreads = 8;
  auto race = [&](auto make_key) {
    std::barrier start(kThreads);
    std::atomic<int> stored{0};
    std::atomic<int> conflicts{0};
    std::vector<std::string> failures(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto key = make_key(t);
        start.arrive_and_wait();
        auto added = keys().add_key(key);
        if (added)
          ++stored;
        else if (added.error().code == errc::conflict)
          ++conflicts;
        else
          failures[t] = added.error().message;
      });
    }
    for (auto& thread : threads)
      thread.join();
    for (const auto& failure : failures)
      EXPECT_EQ(failure, "");
    EXPECT_EQ(stored.load(), 1);
    EXPECT_EQ(conflicts.load(), kThreads - 1);
  };

  race([](int t) { return new_key("key-" + std::to_string(t), 'a'); });
  ASSERT_EQ(keys().list_keys().value().size(), 1u);
  EXPECT_TRUE(keys().find_key(hash_of('a')).value().has_value());

  const std::string digits = "0123456789";
  race([&](int t) { return new_key("shared-id", digits[static_cast<std::size_t>(t)]); });
  auto listed = keys().list_keys().value();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].id, "shared-id");
}

}  // namespace
}  // namespace opsgraph::store::testing
