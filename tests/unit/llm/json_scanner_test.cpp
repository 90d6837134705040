// The strict scanner accepts exactly RFC 8259 JSON (declining the few valid corners it leaves to
// other parsers), unescapes strings exactly, and never reads outside its text.

#include "llm/json_scanner.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::llm {
namespace {

using wire::JsonScanner;

// The text in a heap block of exactly its size, so that AddressSanitizer sees any read past it.
class ExactCopy {
 public:
  explicit ExactCopy(std::string_view text)
      : bytes_(std::make_unique<char[]>(text.size() + (text.empty() ? 1 : 0))), size_(text.size()) {
    std::memcpy(bytes_.get(), text.data(), text.size());
  }
  std::string_view view() const { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_;
};

// The oracle: simdjson's DOM parser, which validates all of a document.
bool is_json(std::string_view text) {
  simdjson::dom::parser parser;
  return parser.parse(text.data(), text.size()).error() == simdjson::SUCCESS;
}

// Whether the scanner reads `text` as one JSON value and nothing after it.
bool scans(std::string_view text) {
  const ExactCopy copy(text);
  std::vector<char> unescaped(text.size() + 1);
  JsonScanner json(copy.view(), unescaped.data());
  return json.skip_value() && json.at_end();
}

// The string the scanner reads from the JSON string `text`, or "<declined>".
std::string string_of(std::string_view text) {
  const ExactCopy copy(text);
  std::vector<char> unescaped(text.size() + 1);
  JsonScanner json(copy.view(), unescaped.data());
  std::string_view out;
  if (!json.string(out) || !json.at_end())
    return "<declined>";
  return std::string(out);
}

TEST(JsonScanner, ReadsValidJson) {
  for (std::string_view text : {
           R"({})", R"([])", R"( { "a" : [ 1 , -2.5e+3 , true , false , null , "x" ] } )",
           R"({"a":{"b":{"c":[[],{}]}}})", R"("plain")", R"(0)", R"(-0)", R"(0.5)", R"(1E9)",
           R"(1e-07)", R"(123456789012345678)", "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"",
           R"("\"\\\/\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00")", "\t\r\n {}\t\r\n ",
           R"({"a":1,"a":2})",  // repeated names are JSON; what they mean is the caller's choice
       }) {
    EXPECT_TRUE(scans(text)) << text;
    EXPECT_TRUE(is_json(text)) << text;
  }
}

TEST(JsonScanner, RejectsWhatIsNotJson) {
  for (std::string_view text : std::initializer_list<std::string_view>{
           "",
           " ",
           "{",
           "}",
           "{]",
           "[}",
           R"({"a"})",
           R"({"a":})",
           R"({"a":1,})",
           R"([1,])",
           R"([,1])",
           R"({,"a":1})",
           R"({"a":1 "b":2})",
           R"({"a" 1})",
           R"({a:1})",
           R"({'a':1})",
           R"({"a":1}})",
           R"({"a":1} x)",
           R"({"a":1}{})",
           R"(01)",
           R"(-01)",
           R"(00)",
           R"(1.)",
           R"(.5)",
           R"(-)",
           R"(+1)",
           R"(1e)",
           R"(1e+)",
           R"(0x10)",
           R"(NaN)",
           R"(Infinity)",
           R"(tru)",
           R"(truex)",
           R"(nul)",
           R"(nulll)",
           R"(False)",
           R"("unterminated)",
           "\"raw\ttab\"",
           "\"raw\nline\"",
           std::string_view("\"nul\0byte\"", 10),
           R"("\x41")",
           R"("\a")",
           R"("\u12")",
           R"("\u12G4")",
           R"("\)",
           "\xEF\xBB\xBF{}",  // a byte-order mark is not JSON
           std::string_view("{}\0", 3),
       }) {
    EXPECT_FALSE(scans(text)) << text;
  }
}

TEST(JsonScanner, RejectsInvalidUtf8InStrings) {
  for (std::string_view text : {
           "\"\x80\"",                  // a continuation byte alone
           "\"\xC0\x80\"",              // overlong NUL
           "\"\xC1\xBF\"",              // overlong
           "\"\xE0\x80\xAF\"",          // overlong
           "\"\xED\xA0\x80\"",          // a surrogate
           "\"\xF0\x80\x80\xAF\"",      // overlong
           "\"\xF4\x90\x80\x80\"",      // past U+10FFFF
           "\"\xF5\x80\x80\x80\"",      // no such lead byte
           "\"\xFF\"",                  //
           "\"\xC3\"",                  // cut before its continuation
           "\"\xE2\x82\"",              //
           "\"\xE2\x82",                // cut by the end of the text
           "\"\xF0\x9F\x98\"",          //
           "\"\xC3\x28\"",              // a continuation that is not one
           "{\"k\xFF\":1}",             // in a member name
           "\"abcdefghijklmnop\xFF\"",  // past the first sixteen bytes
       }) {
    EXPECT_FALSE(scans(text)) << text;
  }
}

TEST(JsonScanner, UnescapesExactly) {
  EXPECT_EQ(string_of(R"("plain")"), "plain");
  EXPECT_EQ(string_of(R"("a\"b\\c\/d\be\ff\ng\rh\ti")"), "a\"b\\c/d\be\ff\ng\rh\ti");
  EXPECT_EQ(string_of(R"("\u0041\u00e9\u20AC")"), "A\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(string_of(R"("\ud83d\ude00!")"), "\xF0\x9F\x98\x80!");
  EXPECT_EQ(string_of(R"("\u0000")"), std::string(1, '\0'));
  EXPECT_EQ(string_of(R"("x\\")"), "x\\");
  EXPECT_EQ(string_of("\"\xC3\xA9\\n\xE2\x82\xAC\""), "\xC3\xA9\n\xE2\x82\xAC");
  const std::string long_text = std::string(40, 'x') + "\\\"" + std::string(40, 'y');
  EXPECT_EQ(string_of("\"" + long_text + "\""), std::string(40, 'x') + "\"" + std::string(40, 'y'));
}

TEST(JsonScanner, DeclinesLoneSurrogatesAndBadEscapes) {
  for (std::string_view text : {
           R"("\ud800")",
           R"("\ud800x")",
           R"("\ud800\u0041")",
           R"("\ud800\ud800")",
           R"("\udc00")",
           R"("\ud800\")",
           R"("\ud800\u")",
           R"("\ud800\udc0")",
           R"("\x")",
           R"("\U0041")",
           R"("\)",
       }) {
    EXPECT_EQ(string_of(text), "<declined>") << text;
  }
}

TEST(JsonScanner, DeclinesNumbersOtherParsersMightJudgeDifferently) {
  EXPECT_TRUE(scans("123456789012345678"));
  EXPECT_FALSE(scans("1234567890123456789"));  // 19 digits: past what the scanner decides
  EXPECT_FALSE(scans("1e400"));
  EXPECT_TRUE(scans("1e99"));
}

TEST(JsonScanner, CountsAreNonNegativeIntegers) {
  const auto count_of = [](std::string_view text) -> std::optional<std::int64_t> {
    const ExactCopy copy(text);
    std::vector<char> unescaped(text.size() + 1);
    JsonScanner json(copy.view(), unescaped.data());
    std::int64_t n = 0;
    if (!json.count(n) || !json.at_end())
      return std::nullopt;
    return n;
  };
  EXPECT_EQ(count_of("0"), 0);
  EXPECT_EQ(count_of(" 1843 "), 1843);
  EXPECT_EQ(count_of("999999999999999999"), 999999999999999999);
  for (std::string_view text :
       {"-1", "1.0", "1e3", "1E3", "01", "9999999999999999999", "\"7\"", "null", "", "x"}) {
    EXPECT_EQ(count_of(text), std::nullopt) << text;
  }
}

TEST(JsonScanner, DeclinesDeepNesting) {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') + "1" +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  EXPECT_TRUE(scans(nested(JsonScanner::kMaxDepth)));
  EXPECT_FALSE(scans(nested(JsonScanner::kMaxDepth + 1)));
  EXPECT_FALSE(scans(nested(100000)));  // no stack overflow either
  std::string objects;
  for (int i = 0; i <= JsonScanner::kMaxDepth; ++i)
    objects += "{\"a\":";
  objects += "1" + std::string(JsonScanner::kMaxDepth + 1, '}');
  EXPECT_FALSE(scans(objects));
}

// Every prefix of a valid document is incomplete, and every single-byte damage either still
// scans as JSON by simdjson's judgement or is declined.
TEST(JsonScanner, TruncatedOrDamagedTextIsNeverAccepted) {
  const std::string sample = R"({"a":[1,-2.5e3,true,false,null],"b":{"c":"d\"\\\u00e9\ud83d\ude00)"
                             "\xC3\xA9"
                             R"("},"e":""})";
  ASSERT_TRUE(scans(sample));
  for (std::size_t n = 0; n < sample.size(); ++n)
    EXPECT_FALSE(scans(sample.substr(0, n))) << n;
  constexpr char kNasty[] = "\"\\{}[],:0-e. \x00\x01\x1f\x7f\x80\xbf\xc0\xc3\xed\xf4\xff";
  for (std::size_t at = 0; at < sample.size(); ++at) {
    for (char byte : std::string_view(kNasty, sizeof kNasty - 1)) {
      std::string damaged = sample;
      damaged[at] = byte;
      if (scans(damaged)) {
        ASSERT_TRUE(is_json(damaged)) << damaged;
      }
    }
  }
}

}  // namespace
}  // namespace opsgraph::llm
