// url_decode, parse_query, Request::path and query, reason_phrase.

#include <gtest/gtest.h>

#include <opsgraph/http/server.hpp>

namespace opsgraph::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(UrlDecode, DecodesEscapesAndPlus) {
  EXPECT_EQ(url_decode("a%20b+c").value(), "a b c");
  EXPECT_EQ(url_decode("%2Fpath%2f%C3%A9").value(), "/path/\xC3\xA9");
  EXPECT_EQ(url_decode("").value(), "");
  EXPECT_EQ(url_decode("plain").value(), "plain");
}

TEST(UrlDecode, RefusesMalformedEscapes) {
  for (const char* bad : {"%zz", "%", "%4", "a%g1", "100%"}) {
    SCOPED_TRACE(bad);
    auto decoded = url_decode(bad);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code, errc::invalid_argument);
  }
}

TEST(ParseQuery, SplitsAndDecodesInOrder) {
  EXPECT_EQ(parse_query("a=1&b=x%20y&a=2").value(), (Pairs{{"a", "1"}, {"b", "x y"}, {"a", "2"}}));
  EXPECT_EQ(parse_query("flag&&x=&=v").value(), (Pairs{{"flag", ""}, {"x", ""}, {"", "v"}}));
  EXPECT_EQ(parse_query("k%3D=v%26w").value(), (Pairs{{"k=", "v&w"}}));
  EXPECT_TRUE(parse_query("").value().empty());
}

TEST(ParseQuery, RefusesMalformedEscapes) {
  auto parsed = parse_query("ok=1&bad=%zz");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, errc::invalid_argument);
}

class FixedRequest final : public Request {
 public:
  explicit FixedRequest(std::string target) : target_(std::move(target)) {}
  std::string_view method() const override { return "GET"; }
  std::string_view target() const override { return target_; }
  std::string_view body() const override { return {}; }
  std::optional<std::string_view> header(std::string_view) const override { return {}; }
  std::string_view remote_address() const override { return "127.0.0.1"; }

 private:
  std::string target_;
};

TEST(RequestTarget, SplitsPathAndQuery) {
  EXPECT_EQ(FixedRequest("/api/v1/tasks?status=failed").path(), "/api/v1/tasks");
  EXPECT_EQ(FixedRequest("/api/v1/tasks?status=failed").query(), "status=failed");
  EXPECT_EQ(FixedRequest("/plain").path(), "/plain");
  EXPECT_EQ(FixedRequest("/plain").query(), "");
  EXPECT_EQ(FixedRequest("/x?").query(), "");
}

TEST(ReasonPhrase, KnowsTheCommonCodes) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(404), "Not Found");
  EXPECT_EQ(reason_phrase(413), "Payload Too Large");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(299), "");
}

}  // namespace
}  // namespace opsgraph::http
