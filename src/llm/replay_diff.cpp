// The closest recorded request: same model first, then the longest run of equal leading
// messages, then the most equal parameters.

#include "llm/replay_diff.hpp"

#include <algorithm>
#include <array>
#include <opsgraph/core/json.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm {

namespace {

constexpr std::array<std::string_view, 6> kParameters = {"temperature", "top_p", "max_tokens",
                                                         "seed",        "stop",  "response_format"};
// Bytes of context an excerpt shows on each side of the first difference.
constexpr std::size_t kContext = 24;

const json::Value& member(const json::Value& request, std::string_view name) {
  static const json::Value kNull;
  const json::Value* found = request.find(name);
  return found != nullptr ? *found : kNull;
}

const json::Array& messages_of(const json::Value& request) {
  static const json::Array kNone;
  const json::Array* messages = member(request, "messages").if_array();
  return messages != nullptr ? *messages : kNone;
}

std::size_t equal_leading_messages(const json::Value& a, const json::Value& b) {
  const json::Array& x = messages_of(a);
  const json::Array& y = messages_of(b);
  std::size_t n = 0;
  while (n < x.size() && n < y.size() && x[n] == y[n])
    ++n;
  return n;
}

std::size_t similarity(const json::Value& recorded, const json::Value& asked) {
  std::size_t score = equal_leading_messages(recorded, asked) * kParameters.size() + 1;
  for (std::string_view name : kParameters)
    score += member(recorded, name) == member(asked, name);
  if (member(recorded, "model") == member(asked, "model"))
    score *= 1'000'000;
  return score;
}

std::size_t utf8_floor(std::string_view text, std::size_t at) {
  while (at > 0 && at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
    --at;
  return at;
}

// `text` around byte `at`, quoted as JSON, with "…" where it was cut.
std::string excerpt(std::string_view text, std::size_t at) {
  const std::size_t begin = utf8_floor(text, at > kContext ? at - kContext : 0);
  const std::size_t end = utf8_floor(text, std::min(text.size(), at + kContext));
  std::string out = begin > 0 ? "…" : "";
  out += json::dump(json::Value(text.substr(begin, end - begin)));
  if (end < text.size())
    out += "…";
  return out;
}

std::string quoted(const json::Value& value) {
  if (const std::string* text = value.if_string())
    return excerpt(*text, 0);
  std::string dumped = json::dump(value);
  return dumped.size() > 2 * kContext ? dumped.substr(0, utf8_floor(dumped, 2 * kContext)) + "…"
                                      : dumped;
}

std::string text_difference(std::string_view path, std::string_view recorded,
                            std::string_view asked) {
  const auto [r, a] = std::mismatch(recorded.begin(), recorded.end(), asked.begin(), asked.end());
  const auto at = static_cast<std::size_t>(r - recorded.begin());
  return std::string(path) + ", byte " + std::to_string(at) + ": recorded " +
         excerpt(recorded, at) + ", asked " + excerpt(asked, at);
}

std::string message_difference(const json::Value& recorded, const json::Value& asked,
                               std::size_t index) {
  const std::string at = "messages[" + std::to_string(index) + "]";
  for (std::string_view field : {"role", "content", "tool_call_id"}) {
    const json::Value& r = member(recorded, field);
    const json::Value& a = member(asked, field);
    if (r == a)
      continue;
    const std::string path = at + "." + std::string(field);
    if (r.is_string() && a.is_string())
      return text_difference(path, *r.if_string(), *a.if_string());
    return path + ": recorded " + quoted(r) + ", asked " + quoted(a);
  }
  return at;
}

std::string difference(const json::Value& recorded, const json::Value& asked) {
  const json::Value& model = member(recorded, "model");
  if (model != member(asked, "model"))
    return "model: recorded " + quoted(model) + ", asked " + quoted(member(asked, "model"));
  const json::Array& r = messages_of(recorded);
  const json::Array& a = messages_of(asked);
  const std::size_t same = equal_leading_messages(recorded, asked);
  if (same < r.size() && same < a.size())
    return message_difference(r[same], a[same], same);
  if (r.size() != a.size()) {
    const bool asked_more = a.size() > r.size();
    const json::Value& extra = asked_more ? a[same] : r[same];
    return "messages: recorded " + std::to_string(r.size()) + ", asked " +
           std::to_string(a.size()) + " (messages[" + std::to_string(same) + "] " +
           (asked_more ? "is new: " : "is missing: ") + quoted(member(extra, "content")) + ")";
  }
  for (std::string_view name : kParameters) {
    if (member(recorded, name) != member(asked, name))
      return std::string(name) + ": recorded " + quoted(member(recorded, name)) + ", asked " +
             quoted(member(asked, name));
  }
  return "nothing visible (the key was computed differently)";
}

}  // namespace

std::string describe_closest(const std::vector<json::Value>& recorded, const json::Value& asked) {
  const auto closest = std::max_element(
      recorded.begin(), recorded.end(),
      [&](const auto& x, const auto& y) { return similarity(x, asked) < similarity(y, asked); });
  return "the closest recorded request (model " + quoted(member(*closest, "model")) + ", " +
         std::to_string(messages_of(*closest).size()) + " messages) differs at " +
         difference(*closest, asked);
}

}  // namespace opsgraph::llm
