// json::Value, json::parse, json::dump and json::Writer: strictness, numbers, Unicode, limits and
// the messages that say what failed where.

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_builder.hpp>
#include <opsgraph/core/json_writer.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace opsgraph::json {
namespace {

Value parsed(std::string_view text) {
  result<Value> value = parse(text);
  EXPECT_TRUE(value) << text << " -> " << (value ? "" : value.error().message);
  return value ? value.value() : Value();
}

Error parse_error(std::string_view text, const Limits& limits = {}) {
  result<Value> value = parse(text, limits);
  EXPECT_FALSE(value) << text << " parsed, but should not";
  return value ? Error{} : value.error();
}

std::string path_of(const Error& error) {
  const Value* path = error.details.find("path");
  return path && path->is_string() ? *path->if_string() : "<none>";
}

TEST(JsonValue, KindsAndAccess) {
  Value object;
  object.set("a", 1);
  object.set("b", "x");
  EXPECT_TRUE(object.is_object());
  ASSERT_NE(object.find("a"), nullptr);
  EXPECT_EQ(*object.find("a")->if_integer(), 1);
  EXPECT_EQ(object.find("missing"), nullptr);
  EXPECT_EQ(kind_name(Kind::integer), "number");
  EXPECT_EQ(kind_name(Kind::number), "number");
  EXPECT_EQ(kind_name(Kind::object), "object");
  EXPECT_EQ(kind_name(Value(true).kind()), "boolean");
}

TEST(JsonParse, ScalarsAndContainers) {
  EXPECT_EQ(parsed("null"), Value());
  EXPECT_EQ(parsed(" true "), Value(true));
  EXPECT_EQ(parsed("false"), Value(false));
  EXPECT_EQ(parsed("\"hi\""), Value("hi"));
  EXPECT_EQ(parsed("[]"), Value(Array{}));
  EXPECT_EQ(parsed("{}"), Value(Object{}));
  const Value doc = parsed(R"({"a": [1, 2.5, "x", null, true, {"b": []}], "c": {}})");
  ASSERT_TRUE(doc.is_object());
  const Array& a = *doc.find("a")->if_array();
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0], Value(1));
  EXPECT_EQ(a[1], Value(2.5));
  EXPECT_EQ(a[2], Value("x"));
  EXPECT_TRUE(a[3].is_null());
  EXPECT_EQ(a[4], Value(true));
  EXPECT_TRUE(a[5].find("b")->is_array());
}

TEST(JsonParse, ObjectsKeepMemberOrder) {
  const Value doc = parsed(R"({"z": 1, "a": 2, "m": 3})");
  const Object& members = *doc.if_object();
  ASSERT_EQ(members.size(), 3u);
  EXPECT_EQ(members[0].first, "z");
  EXPECT_EQ(members[1].first, "a");
  EXPECT_EQ(members[2].first, "m");
}

TEST(JsonParse, IntegersStayExactWhileTheyFitInt64) {
  EXPECT_EQ(parsed("9223372036854775807"), Value(std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(parsed("-9223372036854775808"), Value(std::numeric_limits<std::int64_t>::min()));
  EXPECT_EQ(parsed("-42"), Value(-42));
  EXPECT_EQ(parsed("0"), Value(0));
  EXPECT_TRUE(parsed("-0").is_integer());
  EXPECT_TRUE(parsed("1.0").kind() == Kind::number);
  EXPECT_EQ(parsed("1E+2"), Value(100.0));
  EXPECT_EQ(parsed("-2.5e-3"), Value(-0.0025));
}

TEST(JsonParse, IntegersBeyondInt64BecomeDoubles) {
  const Value above = parsed("9223372036854775808");
  ASSERT_EQ(above.kind(), Kind::number);
  EXPECT_EQ(*above.if_double(), 9223372036854775808.0);
  const Value below = parsed("-9223372036854775809");
  ASSERT_EQ(below.kind(), Kind::number);
  EXPECT_EQ(*below.if_double(), -9223372036854775808.0);
  const Value uint64_max = parsed("18446744073709551615");
  ASSERT_EQ(uint64_max.kind(), Kind::number);
  EXPECT_EQ(*uint64_max.if_double(), 18446744073709551616.0);
  const Value huge = parsed("[123456789012345678901234567890]");
  ASSERT_EQ(huge.if_array()->at(0).kind(), Kind::number);
  EXPECT_DOUBLE_EQ(*huge.if_array()->at(0).if_double(), 1.2345678901234568e29);
}

TEST(JsonParse, NumbersBeyondDoubleAreAnError) {
  const Error error = parse_error("[1, 1e400]");
  EXPECT_EQ(error.code, errc::invalid_argument);
  EXPECT_NE(error.message.find("out of range"), std::string::npos) << error.message;
  EXPECT_EQ(path_of(error), "[1]");
}

TEST(JsonParse, UnicodeEscapesSurrogatePairsAndRawUtf8) {
  EXPECT_EQ(parsed(R"("caf\u00e9")"), Value("caf\xC3\xA9"));
  EXPECT_EQ(parsed(R"("\ud83d\ude00")"), Value("\xF0\x9F\x98\x80"));
  EXPECT_EQ(parsed("\"\xF0\x9F\x98\x80 \xE2\x82\xAC\""), Value("\xF0\x9F\x98\x80 \xE2\x82\xAC"));
  EXPECT_EQ(parsed(R"("\"\\\/\b\f\n\r\t")"), Value("\"\\/\b\f\n\r\t"));
  EXPECT_EQ(parsed(R"("nul\u0000byte")"), Value(std::string_view("nul\0byte", 8)));
  EXPECT_EQ(parsed(R"({"k\u00e9y": 1})").find("k\xC3\xA9y")->if_integer()[0], 1);
}

TEST(JsonParse, DuplicateMemberNamesAreAnError) {
  const Error error = parse_error(R"({"a": {"x": 1, "y": 2, "x": 3}})");
  EXPECT_EQ(error.code, errc::invalid_argument);
  EXPECT_EQ(error.message, "a.x: duplicate member name");
  EXPECT_EQ(path_of(error), "a.x");
  // Past the small-object fast path the check still holds.
  std::string wide = "{";
  for (int i = 0; i < 40; ++i)
    wide += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  wide += "\"k7\": 0}";
  EXPECT_EQ(parse_error(wide).message, "k7: duplicate member name");
}

struct MalformedCase {
  std::string_view text;
  std::string_view says;  // a part of the message
  std::int64_t offset;    // -1: no offset expected
};

TEST(JsonParse, MalformedInputSaysWhatAndWhere) {
  const MalformedCase cases[] = {
      {"", "empty", -1},
      {"   ", "empty", -1},
      {"[1, 2", "", -1},
      {"{\"a\": 1", "", -1},
      {"{\"a\": 1,}", "unexpected character", 8},
      {"[1, 2,]", "unexpected character", 6},
      {"{\"a\" 1}", "unexpected character", 5},
      {"[1 2]", "unexpected character", 3},
      {"{} x", "after the JSON value", 3},
      {"[1]]", "after the JSON value", 3},
      {"1 2", "after the JSON value", -1},
      {"\"abc", "unterminated string", 0},
      {"[\"ok\", \"abc]", "unterminated string", 7},
      {"[\"a\\qb\"]", "bad escape", -1},
      {"[\"\\ud800\"]", "unpaired surrogate", -1},
      {"[\"a\nb\"]", "control character", 3},
      {"[\"tab\there\"]", "control character", 5},
      {"[\"\xFF\"]", "invalid UTF-8", 2},
      {"[\"ok\", \"\xC3\x28\"]", "invalid UTF-8", 8},
      {"[\"\xED\xA0\x80\"]", "invalid UTF-8", 2},
      {"[tru]", "invalid literal", 1},
      {"[nul]", "invalid literal", 1},
      {"truex", "invalid literal", -1},
      {"[01]", "invalid number", 1},
      {"[1.]", "invalid number", 1},
      {"[-]", "invalid number", 1},
      {"[.5]", "unexpected character", 1},
      {"[+1]", "unexpected character", 1},
      {"[NaN]", "unexpected character", 1},
      {"{,}", "unexpected character", 1},
      {"{\"a\":1,,\"b\":2}", "unexpected character", 7},
      {"{\"a\": [1, {\"b\": }]}", "unexpected character", -1},
      {"// comment\n{}", "unexpected character", -1},
  };
  for (const MalformedCase& c : cases) {
    result<Value> value = parse(c.text);
    ASSERT_FALSE(value) << "accepted: " << c.text;
    const Error& error = value.error();
    EXPECT_EQ(error.code, errc::invalid_argument) << c.text;
    EXPECT_NE(error.message.find("malformed JSON"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find(c.says), std::string::npos)
        << c.text << " -> " << error.message << " (wanted: " << c.says << ")";
    if (c.offset >= 0) {
      const Value* offset = error.details.find("offset");
      ASSERT_NE(offset, nullptr) << c.text << " -> " << error.message;
      EXPECT_EQ(*offset->if_integer(), c.offset) << c.text << " -> " << error.message;
      EXPECT_NE(error.message.find("at byte " + std::to_string(c.offset)), std::string::npos)
          << error.message;
    }
  }
}

TEST(JsonParse, ErrorsInsideContainersNameTheirPath) {
  const Error error = parse_error(R"({"plan": {"steps": [1, 2, tru]}})");
  EXPECT_EQ(path_of(error), "plan.steps[2]");
  EXPECT_EQ(error.message.rfind("plan.steps[2]: malformed JSON at byte ", 0), 0u) << error.message;
}

TEST(JsonParse, SizeLimit) {
  Limits limits;
  limits.max_bytes = 10;
  EXPECT_TRUE(parse("[1,2,3,45]", limits));  // exactly 10 bytes
  const Error error = parse_error("[1,2,3,456]", limits);
  EXPECT_EQ(error.code, errc::payload_too_large);
  EXPECT_EQ(error.message, "JSON text of 11 bytes is over the limit of 10 bytes");
  EXPECT_EQ(*error.details.find("limit")->if_integer(), 10);
}

TEST(JsonParse, DefaultSizeLimitIsEightMebibytes) {
  std::string big(8u << 20, ' ');
  big.front() = '1';
  EXPECT_TRUE(parse(big));
  big.push_back(' ');
  EXPECT_EQ(parse_error(big).code, errc::payload_too_large);
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonParse, DepthLimitNamesThePath) {
  EXPECT_TRUE(parse(nested_arrays(64)));
  const Error arrays = parse_error(nested_arrays(65));
  EXPECT_EQ(arrays.code, errc::invalid_argument);
  std::string sixty_four_deep;
  for (int i = 0; i < 64; ++i)
    sixty_four_deep += "[0]";
  EXPECT_EQ(path_of(arrays), sixty_four_deep);
  EXPECT_NE(arrays.message.find("nesting deeper than 64 levels"), std::string::npos);

  Limits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(parse(R"({"a": [1]})", limits));
  const Error objects = parse_error(R"({"a": {"b": {"c": 1}}})", limits);
  EXPECT_EQ(objects.message, "a.b: nesting deeper than 2 levels");
  EXPECT_EQ(path_of(objects), "a.b");

  limits.max_depth = 0;
  EXPECT_TRUE(parse("42", limits));
  EXPECT_EQ(parse_error("[]", limits).message, "nesting deeper than 0 levels");
}

TEST(JsonParse, RaisedDepthLimitStopsAtTheCeiling) {
  Limits limits;
  limits.max_depth = 5000;
  EXPECT_TRUE(parse(nested_arrays(1024), limits));
  const Error error = parse_error(nested_arrays(1025), limits);
  EXPECT_NE(error.message.find("nesting deeper than 1024 levels"), std::string::npos);
  EXPECT_EQ(parse_error(nested_arrays(100000), limits).code, errc::invalid_argument);
}

TEST(JsonDump, CompactTextInMemberOrder) {
  Value doc;
  doc.set("b", 1);
  doc.set("a", Array{Value(true), Value(), Value("x"), Value(2.5)});
  EXPECT_EQ(dump(doc), R"({"b":1,"a":[true,null,"x",2.5]})");
  EXPECT_EQ(dump(Value()), "null");
  EXPECT_EQ(dump(Value(Object{})), "{}");
}

TEST(JsonDump, NumbersRoundTripExactly) {
  EXPECT_EQ(dump(Value(3.0)), "3.0");
  EXPECT_EQ(dump(Value(0.1)), "0.1");
  EXPECT_EQ(dump(Value(-1e300)), "-1e300");
  EXPECT_EQ(dump(Value(std::numeric_limits<std::int64_t>::min())), "-9223372036854775808");
  for (const double d : {0.1, 1.0 / 3.0, 6.02214076e23, -2.2250738585072014e-308, 123456.789}) {
    const Value back = parsed(dump(Value(d)));
    ASSERT_EQ(back.kind(), Kind::number) << d;
    EXPECT_EQ(*back.if_double(), d);
  }
}

TEST(JsonDump, NonFiniteNumbersBecomeNull) {
  EXPECT_EQ(dump(Value(std::nan(""))), "null");
  EXPECT_EQ(dump(Value(Array{Value(std::numeric_limits<double>::infinity()), Value(1)})),
            "[null,1]");
}

TEST(JsonDump, StringsAreEscaped) {
  EXPECT_EQ(dump(Value("a\"b\\c\n\t\x01")), R"("a\"b\\c\n\t\u0001")");
  EXPECT_EQ(dump(Value("caf\xC3\xA9 \xF0\x9F\x98\x80")), "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"");
  Value keyed;
  keyed.set("new\nline", 1);
  EXPECT_EQ(dump(keyed), R"({"new\nline":1})");
}

// A string literal as JSON writes it: the escapes of put_escape, everything else as it is (the
// test's strings are valid UTF-8 apart from the lone 0xFF byte, which becomes U+FFFD).
std::string expected_literal(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\x01':
        out += "\\u0001";
        break;
      case '\xFF':
        out += "\xEF\xBF\xBD";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// Strings are checked a word (8 bytes) at a time, their tails included, and those of up to 64
// bytes by overlapping loads: a character that needs care is found at every position of strings
// of every length up to past that bound.
TEST(JsonDump, EscapesAtEveryPositionOfShortAndLongStrings) {
  const std::vector<std::string> specials = {"\"", "\\", "\n", "\x01", "\xFF", "\xC3\xA9", "\x7F"};
  for (std::size_t length = 0; length <= 72; ++length) {
    EXPECT_EQ(dump(Value(std::string(length, 'a'))), expected_literal(std::string(length, 'a')));
    for (std::size_t position = 0; position < length; ++position) {
      for (const auto& special : specials) {
        std::string text(length, 'a');
        text.replace(position, 1, special);
        EXPECT_EQ(dump(Value(text)), expected_literal(text)) << length << " " << position;
        Value keyed;
        keyed.set(text, 1);
        EXPECT_EQ(dump(keyed), "{" + expected_literal(text) + ":1}") << length << " " << position;
      }
    }
  }
}

TEST(JsonDump, InvalidUtf8IsReplacedSoTheOutputParses) {
  const std::string text = dump(Value("ok \xFF end \xC3"));
  EXPECT_EQ(text, "\"ok \xEF\xBF\xBD end \xEF\xBF\xBD\"");
  EXPECT_TRUE(parse(text));
  // An encoded surrogate and an overlong form are both ill-formed.
  EXPECT_EQ(dump(Value("\xED\xA0\x80")), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(dump(Value("\xC0\xAF")), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST(JsonDump, ParseOfDumpIsIdentity) {
  const Value doc = parsed(R"({"id": "t-1", "n": -17, "big": 9007199254740993, "f": 0.5,
      "u": "\u00e9\ud83d\ude00", "list": [[], {}, [null, false]], "nested": {"deep": {"x": "y"}}})");
  EXPECT_EQ(parsed(dump(doc)), doc);
  EXPECT_EQ(dump(parsed(dump(doc))), dump(doc));
}

TEST(JsonWriter, BuildsADocumentFromCalls) {
  Writer w;
  w.begin_object().key("id").string("t-1").key("n").integer(-3).key("u").unsigned_integer(
      std::numeric_limits<std::uint64_t>::max());
  w.key("f").number(1.5).key("nan").number(std::nan("")).key("ok").boolean(false);
  w.key("none").null().key("list").begin_array().integer(1).value(Value("v")).end_array();
  w.end_object();
  EXPECT_EQ(w.view(),
            R"({"id":"t-1","n":-3,"u":18446744073709551615,"f":1.5,"nan":null,"ok":false,)"
            R"("none":null,"list":[1,"v"]})");
  EXPECT_TRUE(parse(w.view()));
}

// Numbers of whole millionths below 1e9 take a path of their own; every number, on that path or
// not, reads back as the same double, and those of the path are written in the fewest digits.
TEST(JsonWriter, NumbersReadBackAsTheSameDouble) {
  const auto written = [](double d) {
    Writer w;
    w.number(d);
    return std::string(w.view());
  };
  EXPECT_EQ(written(0.15), "0.15");
  EXPECT_EQ(written(0.006), "0.006");
  EXPECT_EQ(written(-2.5), "-2.5");
  EXPECT_EQ(written(1.0), "1.0");
  EXPECT_EQ(written(-0.0), "-0.0");
  EXPECT_EQ(written(0.000001), "0.000001");
  EXPECT_EQ(written(999999999.999999), "999999999.999999");
  EXPECT_EQ(written(123456.000789), "123456.000789");

  std::vector<double> values = {1e9,      1e9 + 0.5, 0.1 + 0.2, 1.0 / 3,   1e-7,
                                5e-324,   1.5e300,   -1e21,     0.0000015, 4503599627370497.0,
                                2.0 / 3e6};
  for (std::int64_t k = -3000; k <= 3000; ++k) {
    values.push_back(static_cast<double>(k) / 1000);        // the nearest double to k/1000
    values.push_back(static_cast<double>(k) * 0.001);       // often not it
    values.push_back(static_cast<double>(k * 7919) / 1e6);  // millionths
  }
  for (const double d : values) {
    const std::string text = written(d);
    const double back = std::strtod(text.c_str(), nullptr);
    EXPECT_EQ(back, d) << text;
    EXPECT_EQ(std::signbit(back), std::signbit(d)) << text;
    char shortest[32];
    const auto [end, ec] = std::to_chars(shortest, shortest + sizeof shortest, d);
    ASSERT_EQ(ec, std::errc{});
    const auto significant = [](std::string_view number) {
      const std::string_view mantissa = number.substr(0, number.find_first_of("eE"));
      std::string digits;
      for (const char c : mantissa) {
        if (c >= '0' && c <= '9')
          digits.push_back(c);
      }
      digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
      while (!digits.empty() && digits.back() == '0')
        digits.pop_back();
      return digits.size();
    };
    // Grisu2, which writes the other numbers, may write a digit more than needed.
    const double magnitude = std::fabs(d);
    const bool millionths = magnitude < 1e9 && std::nearbyint(magnitude * 1e6) / 1e6 == magnitude;
    const std::size_t slack = millionths ? 0 : 1;
    EXPECT_LE(significant(text), significant(std::string_view(shortest, end)) + slack) << text;
  }
}

TEST(JsonWriter, PutsCommasBetweenItemsOfEveryKind) {
  Writer w;
  w.begin_array().begin_array().end_array().begin_object().end_object();
  w.begin_array().begin_array().end_array().end_array();
  w.begin_object().key("a").begin_object().end_object().key("b").begin_array().end_array();
  w.key("c").integer(1).end_object();
  w.integer(1).string("s").boolean(true).null().number(2.5).unsigned_integer(7).end_array();
  EXPECT_EQ(w.view(), R"([[],{},[[]],{"a":{},"b":[],"c":1},1,"s",true,null,2.5,7])");
  EXPECT_TRUE(parse(w.view()));
}

TEST(JsonWriter, IsReusableAfterTake) {
  Writer w(16);
  w.begin_array().integer(1).end_array();
  EXPECT_EQ(w.take(), "[1]");
  EXPECT_EQ(w.view(), "");
  const std::string long_text(100, 'x');
  w.begin_object().key("k").string(long_text).end_object();
  w.clear();
  const std::size_t grown = w.capacity();
  EXPECT_GT(grown, 16u);
  for (int i = 0; i < 100; ++i) {
    w.begin_object().key("k").string(long_text).end_object();
    EXPECT_EQ(w.take(), "{\"k\":\"" + long_text + "\"}");
  }
  EXPECT_EQ(w.capacity(), grown);  // the buffer is kept, not reallocated
  w.string("second");
  EXPECT_EQ(w.take(), "\"second\"");
}

// Keys and short strings take a path of their own while the buffer has room for the longest of
// them, and the general one otherwise: the text is the same whatever room the writer starts with,
// so wherever the buffer has to grow.
TEST(JsonWriter, WritesTheSameTextWhateverRoomItStartsWith) {
  static constexpr KeyText kShortName("id", "\"id\":");
  static constexpr KeyText kLongName("a_member_name_longer_than_thirty_two_bytes",
                                     "\"a_member_name_longer_than_thirty_two_bytes\":");
  static constexpr KeyText kEscapedName("new\nline", "");
  const auto write_all = [](Writer& w) {
    w.begin_array();
    for (std::size_t length = 0; length <= 70; ++length) {
      const std::string plain(length, 'a');
      std::string special = plain;
      if (length > 0)
        special[length / 2] = '"';
      w.begin_object().key(kShortName).string(plain).key(kLongName).string(special);
      w.key(kEscapedName).integer(static_cast<std::int64_t>(length));
      w.key(plain).string(special).key("k" + special).boolean(true).end_object();
      w.string(plain).string(special);
    }
    w.end_array();
  };
  Writer roomy(1 << 16);
  write_all(roomy);
  const std::string expected(roomy.view());
  ASSERT_TRUE(parse(expected));
  EXPECT_NE(expected.find(R"({"id":"","a_member_name_longer_than_thirty_two_bytes":"",)"
                          R"("new\nline":0,"":"","k":true},"","")"),
            std::string::npos);
  for (std::size_t reserve = 1; reserve <= 80; ++reserve) {
    Writer w(reserve);
    write_all(w);
    EXPECT_EQ(w.view(), expected) << "reserve " << reserve;
  }
}

TEST(JsonWriter, MovesKeepTheText) {
  Writer a;
  a.begin_array().boolean(true);
  Writer b(std::move(a));
  b.end_array();
  EXPECT_EQ(b.take(), "[true]");
}

TEST(JsonBuilder, BuildsTheSameValueTheWriterWrites) {
  ValueBuilder b;
  b.begin_object().key("a").integer(1).key("list").begin_array().string("x").null().end_array();
  b.key("inf").number(std::numeric_limits<double>::infinity());
  b.key("u").unsigned_integer(std::numeric_limits<std::uint64_t>::max());
  b.end_object();
  const Value built = b.take();
  EXPECT_EQ(dump(*built.find("list")), R"(["x",null])");
  EXPECT_TRUE(built.find("inf")->is_null());
  ASSERT_EQ(built.find("u")->kind(), Kind::number);  // past int64: a double, as parse makes it
  EXPECT_EQ(*built.find("u")->if_double(), 18446744073709551616.0);
  EXPECT_EQ(parsed(dump(built)), built);
  EXPECT_EQ(b.take(), Value());
}

}  // namespace
}  // namespace opsgraph::json
