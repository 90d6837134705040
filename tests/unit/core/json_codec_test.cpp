// Typed JSON codecs: every supported member type both ways, through text (decode) and through a
// Value (from_value), and the error paths a caller sees when input does not fit the schema.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <opsgraph/core/json_codec.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace test_types {

enum class Confidence { low, medium, high };

struct Step {
  int step_number = 0;
  std::string agent;
  std::string description;
  std::vector<int> depends_on;
  friend bool operator==(const Step&, const Step&) = default;
};

struct Plan {
  std::vector<Step> steps;
  std::string summary;
  std::optional<std::string> hash;
  friend bool operator==(const Plan&, const Plan&) = default;
};

struct Task {
  std::string id;
  Plan plan;
  int priority = 3;
  friend bool operator==(const Task&, const Task&) = default;
};

struct Everything {
  bool flag = false;
  std::int8_t i8 = 0;
  std::uint8_t u8 = 0;
  std::int16_t i16 = 0;
  std::uint16_t u16 = 0;
  std::int32_t i32 = 0;
  std::uint32_t u32 = 0;
  std::int64_t i64 = 0;
  std::uint64_t u64 = 0;
  double d = 0;
  float f = 0;
  std::string s;
  std::vector<int> ints;
  std::vector<bool> bools;
  std::vector<std::vector<std::string>> grid;
  std::optional<int> maybe_int;
  std::optional<std::string> maybe_text;
  std::map<std::string, int> counts;
  std::map<std::string, Step> by_name;
  opsgraph::json::Value extra;
  opsgraph::TimePoint at{};
  Confidence confidence = Confidence::low;
  std::optional<Confidence> maybe_confidence;
  Step nested;
  std::vector<Step> steps;
  std::optional<Step> maybe_step;
  friend bool operator==(const Everything&, const Everything&) = default;
};

// A type with a hand-written codec: dotted-quad text.
struct Ipv4 {
  std::array<int, 4> octets{};
  friend bool operator==(const Ipv4&, const Ipv4&) = default;
};

struct Host {
  std::string name;
  std::vector<Ipv4> addresses;
  friend bool operator==(const Host&, const Host&) = default;
};

// A member holding JSON text inside a string: its codec parses while the outer decode runs.
struct Embedded {
  opsgraph::json::Value inner;
  friend bool operator==(const Embedded&, const Embedded&) = default;
};

struct Envelope {
  std::string kind;
  Embedded payload;
  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// Field names that cannot be written as they are between quotes.
struct OddNames {
  int quoted = 0;
  int accented = 0;
  int plain = 0;
  friend bool operator==(const OddNames&, const OddNames&) = default;
};

// Field names of every length class the writer copies differently (its quoted text of 3 to 43
// bytes).
struct NameLengths {
  int a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, empty = 0;
  friend bool operator==(const NameLengths&, const NameLengths&) = default;
};

}  // namespace test_types

using namespace test_types;  // NOLINT(google-build-using-namespace): the schemas below read better
namespace json = opsgraph::json;

template <>
struct opsgraph::json::Schema<Confidence> {
  static constexpr auto names = json::enum_names<Confidence>(
      {{Confidence::low, "low"}, {Confidence::medium, "medium"}, {Confidence::high, "high"}});
};

template <>
struct opsgraph::json::Schema<Step> {
  static constexpr auto fields = std::make_tuple(
      json::field("step_number", &Step::step_number), json::field("agent", &Step::agent),
      json::field("description", &Step::description),
      json::optional_field("depends_on", &Step::depends_on));
  static constexpr bool allow_unknown = false;
};

template <>
struct opsgraph::json::Schema<Plan> {
  static constexpr auto fields =
      std::make_tuple(json::field("steps", &Plan::steps), json::field("summary", &Plan::summary),
                      json::field("hash", &Plan::hash));
  static constexpr bool allow_unknown = false;
};

template <>
struct opsgraph::json::Schema<Task> {
  static constexpr auto fields =
      std::make_tuple(json::field("id", &Task::id), json::field("plan", &Task::plan),
                      json::optional_field("priority", &Task::priority));
};

template <>
struct opsgraph::json::Schema<Everything> {
  static constexpr auto fields = std::make_tuple(
      json::field("flag", &Everything::flag), json::field("i8", &Everything::i8),
      json::field("u8", &Everything::u8), json::field("i16", &Everything::i16),
      json::field("u16", &Everything::u16), json::field("i32", &Everything::i32),
      json::field("u32", &Everything::u32), json::field("i64", &Everything::i64),
      json::field("u64", &Everything::u64), json::field("d", &Everything::d),
      json::field("f", &Everything::f), json::field("s", &Everything::s),
      json::field("ints", &Everything::ints), json::field("bools", &Everything::bools),
      json::field("grid", &Everything::grid), json::field("maybe_int", &Everything::maybe_int),
      json::field("maybe_text", &Everything::maybe_text),
      json::field("counts", &Everything::counts), json::field("by_name", &Everything::by_name),
      json::field("extra", &Everything::extra), json::field("at", &Everything::at),
      json::field("confidence", &Everything::confidence),
      json::field("maybe_confidence", &Everything::maybe_confidence),
      json::field("nested", &Everything::nested), json::field("steps", &Everything::steps),
      json::field("maybe_step", &Everything::maybe_step));
};

template <>
struct opsgraph::json::Codec<Ipv4> {
  static void write(json::Writer& w, const Ipv4& ip) {
    w.string(std::to_string(ip.octets[0]) + "." + std::to_string(ip.octets[1]) + "." +
             std::to_string(ip.octets[2]) + "." + std::to_string(ip.octets[3]));
  }
  static opsgraph::result<Ipv4> from_value(const json::Value& v) {
    const std::string* text = v.if_string();
    Ipv4 ip;
    char tail = 0;
    if (text == nullptr || std::sscanf(text->c_str(), "%d.%d.%d.%d%c", &ip.octets[0], &ip.octets[1],
                                       &ip.octets[2], &ip.octets[3], &tail) != 4) {
      return opsgraph::fail(opsgraph::errc::invalid_argument, "not an IPv4 address");
    }
    for (int octet : ip.octets) {
      if (octet < 0 || octet > 255) {
        return opsgraph::fail(opsgraph::errc::invalid_argument, "IPv4 octet out of range");
      }
    }
    return ip;
  }
};

template <>
struct opsgraph::json::Schema<Host> {
  static constexpr auto fields =
      std::make_tuple(json::field("name", &Host::name), json::field("addresses", &Host::addresses));
};

template <>
struct opsgraph::json::Codec<Embedded> {
  static void write(json::Writer& w, const Embedded& e) { w.string(json::encode(e.inner)); }
  static opsgraph::result<Embedded> from_value(const json::Value& v) {
    const std::string* text = v.if_string();
    if (text == nullptr)
      return opsgraph::fail(opsgraph::errc::invalid_argument, "expected text");
    OPSGRAPH_TRY(json::Value inner, json::parse(*text));
    return Embedded{std::move(inner)};
  }
};

template <>
struct opsgraph::json::Schema<Envelope> {
  static constexpr auto fields = std::make_tuple(json::field("kind", &Envelope::kind),
                                                 json::field("payload", &Envelope::payload));
};

template <>
struct opsgraph::json::Schema<OddNames> {
  static constexpr auto fields = std::make_tuple(json::field("say \"hi\"", &OddNames::quoted),
                                                 json::field("caf\xC3\xA9", &OddNames::accented),
                                                 json::field("plain", &OddNames::plain));
};

template <>
struct opsgraph::json::Schema<NameLengths> {
  using T = NameLengths;
  static constexpr auto fields = std::make_tuple(
      json::field("n", &T::a), json::field("abcd", &T::b), json::field("abcdefgh", &T::c),
      json::field("abcdefghijklm", &T::d), json::field("abcdefghijklmn", &T::e),
      json::field("abcdefghijklmnopqrstuvwxyzABC", &T::f),
      json::field("abcdefghijklmnopqrstuvwxyzABCD", &T::g),
      json::field("abcdefghijklmnopqrstuvwxyzABCDE", &T::h),
      json::field("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN", &T::i), json::field("", &T::empty));
};

// A name's text is made, and checked, at compile time.
static_assert(json::KeyText("id", "\"id\":").text() == "\"id\":");
static_assert(json::KeyText("a\\b", "").text().empty());
static_assert(json::KeyText::writes_as_is("step_number"));
static_assert(!json::KeyText::writes_as_is("say \"hi\""));
static_assert(!json::KeyText::writes_as_is("caf\xC3\xA9"));
static_assert(!json::KeyText::writes_as_is("tab\there"));

namespace {

using opsgraph::errc;
using opsgraph::Error;
using opsgraph::result;

std::string path_of(const Error& error) {
  const json::Value* path = error.details.find("path");
  return path != nullptr && path->is_string() ? *path->if_string() : "<none>";
}

// Decodes `text` both ways (straight from text, and parse + from_value): both must fail alike.
template <class T>
Error failure_of(std::string_view text) {
  result<T> direct = json::decode<T>(text);
  EXPECT_FALSE(direct) << "decoded: " << text;
  if (direct)
    return Error{};
  if (result<json::Value> value = json::parse(text)) {
    result<T> via_value = json::from_value<T>(value.value());
    EXPECT_FALSE(via_value) << "from_value accepted: " << text;
    if (!via_value) {
      EXPECT_EQ(via_value.error().message, direct.error().message);
      EXPECT_EQ(path_of(via_value.error()), path_of(direct.error()));
    }
  }
  return direct.error();
}

template <class T>
T decoded(std::string_view text) {
  result<T> out = json::decode<T>(text);
  EXPECT_TRUE(out) << text << " -> " << (out ? "" : out.error().message);
  return out ? std::move(out).value() : T{};
}

Everything full_sample() {
  Everything e;
  e.flag = true;
  e.i8 = -128;
  e.u8 = 255;
  e.i16 = -32768;
  e.u16 = 65535;
  e.i32 = std::numeric_limits<std::int32_t>::min();
  e.u32 = std::numeric_limits<std::uint32_t>::max();
  e.i64 = std::numeric_limits<std::int64_t>::min();
  e.u64 = std::numeric_limits<std::uint64_t>::max() / 2;  // a Value holds int64: stay in range
  e.d = -1.0 / 3.0;
  e.f = 0.25f;
  e.s = "caf\xC3\xA9 \xF0\x9F\x98\x80 \"quoted\"\n\ttab \\ slash";
  e.ints = {1, -2, 3};
  e.bools = {true, false, true};
  e.grid = {{"a", "b"}, {}, {"c"}};
  e.maybe_int = 0;
  e.maybe_text = std::nullopt;
  e.counts = {{"x", 1}, {"with space", 2}, {"", 3}};
  e.by_name = {{"diag", Step{1, "diagnostic", "look", {}}}};
  e.extra.set("free", json::Array{json::Value(1), json::Value("form"), json::Value()});
  e.at = opsgraph::TimePoint{std::chrono::milliseconds{1'795'687'204'120}};
  e.confidence = Confidence::high;
  e.maybe_confidence = Confidence::medium;
  e.nested = Step{7, "writer", "draft the email", {1, 2}};
  e.steps = {Step{1, "diagnostic", "a", {}}, Step{2, "automation", "b", {1}}};
  e.maybe_step = Step{3, "writer", "c", {2}};
  return e;
}

TEST(JsonCodec, RoundTripsEveryTypeThroughText) {
  const Everything original = full_sample();
  const std::string text = json::encode(original);
  EXPECT_EQ(decoded<Everything>(text), original) << text;
}

TEST(JsonCodec, RoundTripsEveryTypeThroughAValue) {
  const Everything original = full_sample();
  const json::Value value = json::to_value(original);
  ASSERT_TRUE(value.is_object());
  EXPECT_EQ(*value.find("confidence")->if_string(), "high");
  EXPECT_TRUE(value.find("maybe_text")->is_null());
  result<Everything> back = json::from_value<Everything>(value);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back.value(), original);
  // Building the Value directly and writing text agree.
  EXPECT_EQ(json::dump(value), json::encode(original));
}

TEST(JsonCodec, EncodesFieldsInSchemaOrder) {
  const Step step{2, "automation", "Generate perfmon script", {1}};
  EXPECT_EQ(json::encode(step),
            R"({"step_number":2,"agent":"automation","description":"Generate perfmon script",)"
            R"("depends_on":[1]})");
  Plan plan;
  plan.summary = "s";
  EXPECT_EQ(json::encode(plan), R"({"steps":[],"summary":"s","hash":null})");
}

TEST(JsonCodec, FieldNamesThatNeedEscapingAreWrittenEscaped) {
  const OddNames odd{1, 2, 3};
  const std::string text = json::encode(odd);
  EXPECT_EQ(text, "{\"say \\\"hi\\\"\":1,\"caf\xC3\xA9\":2,\"plain\":3}");
  EXPECT_EQ(decoded<OddNames>(text), odd);
  EXPECT_EQ(json::dump(json::to_value(odd)), text);
}

TEST(JsonCodec, FieldNamesOfEveryLengthAreWrittenWhole) {
  const NameLengths lengths;
  const std::string text = json::encode(lengths);
  EXPECT_EQ(json::dump(json::to_value(lengths)), text);
  EXPECT_EQ(
      text,
      R"({"n":1,"abcd":2,"abcdefgh":3,"abcdefghijklm":4,"abcdefghijklmn":5,)"
      R"("abcdefghijklmnopqrstuvwxyzABC":6,"abcdefghijklmnopqrstuvwxyzABCD":7,)"
      R"("abcdefghijklmnopqrstuvwxyzABCDE":8,"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN":9,"":0})");
  EXPECT_EQ(decoded<NameLengths>(text), lengths);
}

TEST(JsonCodec, TimestampsAreRfc3339) {
  Everything e;
  e.at = opsgraph::TimePoint{std::chrono::milliseconds{1'795'687'204'120}};
  EXPECT_EQ(*json::to_value(e).find("at")->if_string(), "2026-11-26T10:00:04.120Z");
  std::string text = json::encode(full_sample());
  const std::string good = "\"2026-11-26T10:00:04.120Z\"";
  const auto at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, good.size(), "\"yesterday\"");
  const Error error = failure_of<Everything>(text);
  EXPECT_EQ(error.message, R"(at: expected an RFC 3339 timestamp, got "yesterday")");
  EXPECT_EQ(path_of(error), "at");
}

TEST(JsonCodec, UnicodeInStringsAndKeys) {
  const Step step =
      decoded<Step>(R"({"step_number": 1, "agent": "caf\u00e9", "description": "\ud83d\ude00 raw: )"
                    "\xE2\x82\xAC\"}");
  EXPECT_EQ(step.agent, "caf\xC3\xA9");
  EXPECT_EQ(step.description, "\xF0\x9F\x98\x80 raw: \xE2\x82\xAC");
  using Counts = std::map<std::string, int>;
  const auto counts = decoded<Counts>(R"({"k\u00e9y": 1, "\u0000": 2})");
  EXPECT_EQ(counts.at("k\xC3\xA9y"), 1);
  EXPECT_EQ(counts.at(std::string(1, '\0')), 2);
}

TEST(JsonCodec, TheErrorPathsOfTheSpecification) {
  const Error wrong_type = failure_of<Task>(R"({"id": "t", "plan": {"summary": "s", "steps": [
      {"step_number": 1, "agent": "a", "description": "d"},
      {"step_number": 2, "agent": "b", "description": "d"},
      {"step_number": 3, "agent": 42, "description": "d"}]}})");
  EXPECT_EQ(wrong_type.code, errc::invalid_argument);
  EXPECT_EQ(wrong_type.message, "plan.steps[2].agent: expected string, got number");
  EXPECT_EQ(path_of(wrong_type), "plan.steps[2].agent");

  const Error missing = failure_of<Task>(R"({"id": "t", "plan": {"steps": []}})");
  EXPECT_EQ(missing.message, "plan.summary: missing required field");
  EXPECT_EQ(path_of(missing), "plan.summary");

  const Error unknown = failure_of<Task>(R"({"id": "t", "plan": {"steps": [], "summary": "s",
      "extra": true}})");
  EXPECT_EQ(unknown.message, "plan.extra: unknown field");
  EXPECT_EQ(path_of(unknown), "plan.extra");
}

TEST(JsonCodec, NestedVectorsOfStructsNameTheElement) {
  const Error error = failure_of<std::vector<std::vector<Step>>>(
      R"([[], [{"step_number": 1, "agent": "a", "description": "d", "depends_on": [1, "x"]}]])");
  EXPECT_EQ(error.message, "[1][0].depends_on[1]: expected integer, got string");
  using StepsByName = std::map<std::string, std::vector<Step>>;
  const Error in_map =
      failure_of<StepsByName>(R"({"a b": [{"step_number": 1, "agent": "x", "description": "ok"}, )"
                              R"({"step_number": 2, "agent": "x", "description": "ok"}, )"
                              R"({"step_number": 3, "agent": "x", "description": "ok"}, )"
                              R"({"step_number": 4, "agent": "x", "description": 5}]})");
  EXPECT_EQ(in_map.message, R"(["a b"][3].description: expected string, got number)");
}

TEST(JsonCodec, RootTypeErrorsHaveAnEmptyPath) {
  const Error error = failure_of<Step>("[1, 2]");
  EXPECT_EQ(error.message, "expected object, got array");
  EXPECT_EQ(path_of(error), "");
  EXPECT_EQ(failure_of<std::vector<int>>("{}").message, "expected array, got object");
  EXPECT_EQ(failure_of<std::string>("true").message, "expected string, got boolean");
  EXPECT_EQ(failure_of<bool>("null").message, "expected boolean, got null");
}

TEST(JsonCodec, RequiredAndOptionalMembers) {
  // optional_field absent: the default member initializer stays.
  const Task task = decoded<Task>(R"({"id": "t", "plan": {"steps": [], "summary": "s"}})");
  EXPECT_EQ(task.priority, 3);
  EXPECT_EQ(task.plan.hash, std::nullopt);  // std::optional: absent is nullopt
  EXPECT_EQ(decoded<Plan>(R"({"steps": [], "summary": "s", "hash": null})").hash, std::nullopt);
  EXPECT_EQ(decoded<Plan>(R"({"steps": [], "summary": "s", "hash": "h"})").hash, "h");
  // Null is not absent for a non-optional member.
  EXPECT_EQ(failure_of<Plan>(R"({"steps": [], "summary": null})").message,
            "summary: expected string, got null");
  EXPECT_EQ(failure_of<Step>(R"({"agent": "a", "description": "d"})").message,
            "step_number: missing required field");
  const Step step = decoded<Step>(R"({"step_number": 1, "agent": "a", "description": "d"})");
  EXPECT_TRUE(step.depends_on.empty());
}

TEST(JsonCodec, UnknownFieldsFollowTheSchema) {
  // Task does not declare allow_unknown: unknown members are skipped, however deep.
  const Task task = decoded<Task>(R"({"future": {"deep": [1, {"x": null}], "s": "\u00e9"},
      "id": "t", "plan": {"steps": [], "summary": "s"}, "more": [[[]]]})");
  EXPECT_EQ(task.id, "t");
  // Skipped members are still validated.
  const Error bad = failure_of<Task>(R"({"id": "t", "future": [1, tru],
      "plan": {"steps": [], "summary": "s"}})");
  EXPECT_EQ(path_of(bad), "future[1]");
  EXPECT_NE(bad.message.find("invalid literal"), std::string::npos) << bad.message;
  const Error duplicate_inside_skipped =
      failure_of<Task>(R"({"id": "t", "future": {"a": 1, "a": 2}, "plan": {"steps": [],
      "summary": "s"}})");
  EXPECT_EQ(duplicate_inside_skipped.message, "future.a: duplicate member name");
  // Step says allow_unknown = false.
  EXPECT_EQ(
      failure_of<Step>(R"({"step_number": 1, "agent": "a", "description": "d", "agnet": "typo"})")
          .message,
      "agnet: unknown field");
}

TEST(JsonCodec, DuplicateMembersAreAnError) {
  EXPECT_EQ(failure_of<Plan>(R"({"steps": [], "summary": "a", "summary": "b"})").message,
            "summary: duplicate member name");
  using Counts = std::map<std::string, int>;
  EXPECT_EQ(failure_of<Counts>(R"({"x": 1, "y": 2, "x": 3})").message, "x: duplicate member name");
}

TEST(JsonCodec, IntegersAreRangeChecked) {
  EXPECT_EQ(decoded<std::int8_t>("-128"), -128);
  EXPECT_EQ(failure_of<std::int8_t>("128").message, "128 is out of range [-128, 127]");
  EXPECT_EQ(failure_of<std::uint8_t>("-1").message, "-1 is out of range [0, 255]");
  EXPECT_EQ(failure_of<std::uint16_t>("65536").message, "65536 is out of range [0, 65535]");
  EXPECT_EQ(failure_of<std::int32_t>("2147483648").message,
            "2147483648 is out of range [-2147483648, 2147483647]");
  // Straight from text the number is exact; a Value holds it as a double, 2^63 exactly.
  EXPECT_EQ(json::decode<std::int64_t>("9223372036854775808").error().message,
            "9223372036854775808 is out of range [-9223372036854775808, 9223372036854775807]");
  EXPECT_EQ(json::from_value<std::int64_t>(json::Value(9223372036854775808.0)).error().message,
            "9223372036854775808 is out of range [-9223372036854775808, 9223372036854775807]");
  EXPECT_EQ(failure_of<int>("2.5").message, "expected integer, got 2.5");
  EXPECT_EQ(failure_of<int>("\"3\"").message, "expected integer, got string");
  // Integral doubles are integers (LLMs write 1.0 for 1).
  EXPECT_EQ(decoded<int>("3.0"), 3);
  EXPECT_EQ(decoded<int>("1e2"), 100);
  EXPECT_EQ(decoded<std::int64_t>("-9223372036854775808"),
            std::numeric_limits<std::int64_t>::min());
  // From text, the whole uint64 range is exact.
  EXPECT_EQ(decoded<std::uint64_t>("18446744073709551615"),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(json::encode(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615");
  const Error nested = failure_of<Step>(R"({"step_number": 1e10, "agent": "a",
      "description": "d"})");
  EXPECT_EQ(nested.message, "step_number: 1e+10 is out of range [-2147483648, 2147483647]");
}

TEST(JsonCodec, BigAndNegativeNumbers) {
  EXPECT_EQ(decoded<double>("-1.5e300"), -1.5e300);
  EXPECT_DOUBLE_EQ(decoded<double>("12345678901234567890123"), 1.2345678901234568e22);
  EXPECT_EQ(decoded<double>("-0.0"), 0.0);
  EXPECT_EQ(decoded<double>("7"), 7.0);
  EXPECT_EQ(failure_of<float>("1e300").message, "number out of range of float");
  EXPECT_EQ(failure_of<double>("1e400").code, errc::invalid_argument);
  for (const double d : {0.1, -2.5e-300, 9007199254740993.0, 1e21}) {
    EXPECT_EQ(decoded<double>(json::encode(d)), d) << json::encode(d);
  }
}

TEST(JsonCodec, EnumsUseTheirNames) {
  EXPECT_EQ(json::encode(Confidence::medium), "\"medium\"");
  EXPECT_EQ(decoded<Confidence>("\"high\""), Confidence::high);
  EXPECT_EQ(failure_of<Confidence>("\"extreme\"").message,
            R"(unknown value "extreme" (expected one of: low, medium, high))");
  EXPECT_EQ(failure_of<Confidence>("2").message, "expected string, got number");
  // An enumerator outside the table is written as its number, which decode then rejects.
  const std::string odd = json::encode(static_cast<Confidence>(9));
  EXPECT_EQ(odd, "9");
  EXPECT_FALSE(json::decode<Confidence>(odd));
}

TEST(JsonCodec, LongEchoedValuesAreCut) {
  const std::string value(200, 'z');
  const Error error = failure_of<Confidence>("\"" + value + "\"");
  EXPECT_LT(error.message.size(), 150u);
  EXPECT_NE(error.message.find("zzz...\""), std::string::npos) << error.message;
}

TEST(JsonCodec, MalformedTextAndLimits) {
  const Error malformed = failure_of<Step>(R"({"step_number": 1, "agent": "a",)");
  EXPECT_NE(malformed.message.find("malformed JSON"), std::string::npos) << malformed.message;
  EXPECT_FALSE(
      json::decode<Step>(R"({"step_number": 1, "agent": "a", "description": "d"} trailing)"));

  json::Limits small;
  small.max_bytes = 16;
  const auto too_big =
      json::decode<Step>(R"({"step_number": 1, "agent": "a", "description": "d"})", small);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, errc::payload_too_large);

  json::Limits shallow;
  shallow.max_depth = 2;
  const auto too_deep = json::decode<Everything>(json::encode(full_sample()), shallow);
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().message, "grid[0]: nesting deeper than 2 levels");
  shallow.max_depth = 3;
  const auto deep_value = json::decode<std::vector<json::Value>>(R"([1, {"a": [[[]]]}])", shallow);
  ASSERT_FALSE(deep_value);
  EXPECT_EQ(path_of(deep_value.error()), "[1].a[0]");
}

TEST(JsonCodec, CustomCodecsGetPathsToo) {
  const Host host{"app01", {Ipv4{{10, 0, 0, 1}}, Ipv4{{192, 168, 1, 20}}}};
  const std::string text = json::encode(host);
  EXPECT_EQ(text, R"({"name":"app01","addresses":["10.0.0.1","192.168.1.20"]})");
  EXPECT_EQ(decoded<Host>(text), host);
  // A codec that only writes text still converts to a Value.
  const json::Value value = json::to_value(host);
  EXPECT_EQ(*value.find("addresses")->if_array()->at(1).if_string(), "192.168.1.20");
  EXPECT_EQ(json::from_value<Host>(value).value(), host);

  const Error error = failure_of<Host>(R"({"name": "x", "addresses": ["10.0.0.1", "999.1.1.1"]})");
  EXPECT_EQ(error.message, "addresses[1]: IPv4 octet out of range");
  EXPECT_EQ(path_of(error), "addresses[1]");
  EXPECT_EQ(failure_of<Host>(R"({"name": "x", "addresses": [7]})").message,
            "addresses[0]: not an IPv4 address");
}

TEST(JsonCodec, ACodecMayParseWhileADecodeRuns) {
  Envelope envelope;
  envelope.kind = "event";
  envelope.payload.inner.set("a", json::Array{json::Value(1), json::Value("two")});
  const std::string text = json::encode(envelope);
  EXPECT_EQ(text, R"({"kind":"event","payload":"{\"a\":[1,\"two\"]}"})");
  EXPECT_EQ(decoded<Envelope>(text), envelope);
  const Error inner = failure_of<Envelope>(R"({"kind": "e", "payload": "{\"a\": [1,]}"})");
  EXPECT_EQ(path_of(inner), "payload.a[1]");
  EXPECT_NE(inner.message.find("malformed JSON"), std::string::npos) << inner.message;
  // The per-thread parser is usable again afterwards.
  EXPECT_EQ(decoded<Envelope>(text), envelope);
}

TEST(JsonCodec, OneWriterServesManyDocuments) {
  json::Writer writer;
  const Step a{1, "diagnostic", "first", {}};
  const Step b{2, "automation", "second", {1}};
  json::write(writer, a);
  const std::string first = writer.take();
  json::write(writer, b);
  const std::string second = writer.take();
  EXPECT_EQ(first, json::encode(a));
  EXPECT_EQ(second, json::encode(b));
  EXPECT_EQ(decoded<Step>(second), b);
}

TEST(JsonCodec, EncodeInsideEncodeUsesItsOwnWriter) {
  Envelope envelope;
  envelope.kind = "nested";
  envelope.payload.inner = json::to_value(Step{1, "a", "b", {}});
  // Codec<Embedded>::write calls json::encode while json::encode holds the thread's writer.
  const std::string text = json::encode(std::vector<Envelope>{envelope, envelope});
  const auto back = decoded<std::vector<Envelope>>(text);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[1], envelope);
}

TEST(JsonCodec, ThreadsDecodeAndEncodeIndependently) {
  const Everything original = full_sample();
  const std::string text = json::encode(original);
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        result<Everything> back = json::decode<Everything>(text);
        if (!back || !(back.value() == original) || json::encode(back.value()) != text) {
          ++mismatches;
        }
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
