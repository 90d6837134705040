#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <opsgraph/core/result.hpp>
#include <set>
#include <stdexcept>
#include <system_error>

namespace opsgraph {
namespace {

TEST(ErrcTest, ValuesArePinnedForTheCAbi) {
  EXPECT_EQ(static_cast<int>(errc::invalid_argument), 1);
  EXPECT_EQ(static_cast<int>(errc::timeout), 9);
  EXPECT_EQ(static_cast<int>(errc::storage), 15);
  EXPECT_EQ(static_cast<int>(errc::internal), kErrcLast);
}

TEST(ErrcTest, EveryValueHasADistinctName) {
  std::set<std::string_view> names;
  for (int i = kErrcFirst; i <= kErrcLast; ++i) {
    auto name = to_string(static_cast<errc>(i));
    EXPECT_NE(name, "unknown") << i;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kErrcLast - kErrcFirst + 1));
  EXPECT_EQ(to_string(static_cast<errc>(999)), "unknown");
}

TEST(ErrcTest, RetryableClassifier) {
  EXPECT_TRUE(is_retryable(errc::timeout));
  EXPECT_TRUE(is_retryable(errc::rate_limited));
  EXPECT_TRUE(is_retryable(errc::upstream_unavailable));
  EXPECT_FALSE(is_retryable(errc::invalid_argument));
  EXPECT_FALSE(is_retryable(errc::cancelled));
  EXPECT_FALSE(is_retryable(errc::internal));
  EXPECT_TRUE(make_error(errc::timeout, "slow").retryable);
}

TEST(ErrcTest, IsAStdErrorCode) {
  std::error_code ec = errc::conflict;
  EXPECT_EQ(ec.category().name(), std::string("opsgraph"));
  EXPECT_EQ(ec.message(), "conflict");
  EXPECT_EQ(error_from(ec, "update").code, errc::conflict);
}

TEST(ErrorFromTest, MapsAsioAndOsCodes) {
  boost::system::error_code aborted = boost::asio::error::operation_aborted;
  EXPECT_EQ(error_from(aborted, "wait").code, errc::cancelled);
  EXPECT_EQ(error_from(std::make_error_code(std::errc::timed_out), "x").code, errc::timeout);
  EXPECT_EQ(error_from(std::make_error_code(std::errc::connection_refused), "x").code,
            errc::upstream_unavailable);
  auto e = error_from(std::make_error_code(std::errc::no_such_file_or_directory), "open a.db");
  EXPECT_EQ(e.code, errc::not_found);
  EXPECT_EQ(e.message.rfind("open a.db: ", 0), 0u) << e.message;
}

result<int> parse_positive(int x) {
  if (x <= 0)
    return fail(errc::invalid_argument, "not positive", json::Value("x"));
  return x;
}

result<int> twice(int x) {
  OPSGRAPH_TRY(auto v, parse_positive(x));
  return v * 2;
}

TEST(ResultTest, TryPropagatesTheError) {
  EXPECT_EQ(twice(4).value(), 8);
  auto r = twice(-1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::invalid_argument);
  EXPECT_EQ(r.error().details, json::Value("x"));
}

TEST(ResultTest, ReadingAFailedValueIsCaughtAsTheOriginalError) {
  Error caught;
  try {
    (void)twice(-1).value();
  } catch (...) {
    caught = error_from_current_exception("node plan");
  }
  EXPECT_EQ(caught.code, errc::invalid_argument);
  EXPECT_EQ(caught.message, "node plan: not positive");
}

TEST(ResultTest, ForeignExceptionsBecomeInternal) {
  Error caught;
  try {
    throw std::runtime_error("boom");
  } catch (...) {
    caught = error_from_current_exception("callback");
  }
  EXPECT_EQ(caught.code, errc::internal);
  EXPECT_EQ(caught.message, "callback: boom");
}

}  // namespace
}  // namespace opsgraph
