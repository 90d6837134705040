#pragma once
// What the fast readers take from an answer or a chunk, written once for both of them: simdjson
// ondemand (wire_fast_path.cpp) and the strict scanner for small documents (wire_scan_path.cpp).
// They accept only what they can read with certainty (strict JSON, known members of the expected
// types, no duplicates among them, no escaped member names, no error object, no refusal) and
// decline everything else, which the typed decoder of wire_types.hpp then reads or reports with
// its JSON path. Either way a document means the same thing. Private to src/llm.
//
// A reader is a Value positioned on one JSON value, with:
//   each_member(f)              f(std::string_view name, Value& member) for each member of an
//                               object, until f returns false
//   each_element(f)             f(Value& element) for each element of an array
//   nullable_string(out, text)  a string, or null (which leaves `out` unset)
//   integer(out)                an integer that fits std::int64_t
//   null_next()                 whether a null comes next (nothing is consumed)
//   skip()                      consumes any value, checking it is well-formed
// each returning false to decline. Every callback consumes the value it is given.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "llm/wire_types.hpp"

namespace opsgraph::llm::wire {

/// Which strings may be long: readers with a faster unescaper for long text use it there.
enum class Text { short_text, long_text };

namespace rules {

// Each known member of an object may appear once; a repeat is declined.
class Seen {
 public:
  bool first(unsigned bit) noexcept {
    const unsigned mask = 1u << bit;
    const bool fresh = (bits_ & mask) == 0;
    bits_ |= mask;
    return fresh;
  }

 private:
  unsigned bits_ = 0;
};

// A member name against a known one in eight-byte words, the last word overlapping the one
// before it: a few loads and compares, where string_view's == calls memcmp.
template <std::size_t N>
bool is(std::string_view name, const char (&known)[N]) noexcept {
  constexpr std::size_t kSize = N - 1;
  if (name.size() != kSize)
    return false;
  if constexpr (kSize < 8) {
    for (std::size_t i = 0; i < kSize; ++i) {
      if (name[i] != known[i])
        return false;
    }
    return true;
  } else {
    const auto word = [](const char* at) {
      std::uint64_t w = 0;
      std::memcpy(&w, at, sizeof w);
      return w;
    };
    for (std::size_t i = 0; i + 8 < kSize; i += 8) {
      if (word(name.data() + i) != word(known + i))
        return false;
    }
    return word(name.data() + kSize - 8) == word(known + kSize - 8);
  }
}

// A string or null member; null reads as empty.
template <class Value>
bool read_string(Value& value, std::string_view& out) {
  std::optional<std::string_view> s;
  if (!value.nullable_string(s, Text::short_text))
    return false;
  out = s.value_or(std::string_view());
  return true;
}

template <class Value>
bool read_usage(Value& value, std::optional<Usage>& out) {
  if (value.null_next())
    return value.skip();
  Usage usage;
  Seen seen;
  const bool read = value.each_member([&](std::string_view name, Value& member) {
    if (is(name, "prompt_tokens"))
      return seen.first(0) && member.integer(usage.prompt_tokens);
    if (is(name, "completion_tokens"))
      return seen.first(1) && member.integer(usage.completion_tokens);
    if (is(name, "total_tokens"))
      return seen.first(2) && member.integer(usage.total_tokens);
    return member.skip();
  });
  if (read)
    out = usage;
  return read;
}

// One choice's message (answers) or delta (chunks): its content, and no refusal.
template <class Value>
bool read_message(Value& value, std::optional<std::string_view>& content) {
  Seen seen;
  return value.each_member([&](std::string_view name, Value& member) {
    if (is(name, "content"))
      return seen.first(0) && member.nullable_string(content, Text::long_text);
    if (is(name, "refusal")) {
      // Refusals are reported by the typed decoder.
      std::optional<std::string_view> refusal;
      return seen.first(1) && member.nullable_string(refusal, Text::short_text) && !refusal;
    }
    return member.skip();
  });
}

struct Choice {
  std::int64_t index = 0;
  bool has_message = false;
  std::optional<std::string_view> content;
  std::optional<std::string_view> finish_reason;
};

template <class Value>
bool read_choice(Value& value, Shape shape, Choice& out) {
  Seen seen;
  return value.each_member([&](std::string_view name, Value& member) {
    if (shape == Shape::answer ? is(name, "message") : is(name, "delta")) {
      out.has_message = true;
      return seen.first(0) && read_message(member, out.content);
    }
    if (is(name, "finish_reason"))
      return seen.first(1) && member.nullable_string(out.finish_reason, Text::short_text);
    if (is(name, "index"))
      return seen.first(2) && member.integer(out.index);
    return member.skip();
  });
}

// Field by field: the compiler copies a whole optional<string_view> with one 16-byte load, which
// stalls when its two halves were stored a moment ago as separate 8-byte words.
inline void copy(const std::optional<std::string_view>& from,
                 std::optional<std::string_view>& to) noexcept {
  if (from)
    to.emplace(from->data(), from->size());
  else
    to.reset();
}

// Keeps choice 0 (or the first choice when none has index 0), as first_choice() does.
template <class Value>
bool read_choices(Value& value, Shape shape, CompletionView& out) {
  bool have_zero = false;
  return value.each_element([&](Value& element) {
    Choice choice;
    if (!read_choice(element, shape, choice))
      return false;
    if (shape == Shape::answer && !choice.has_message)
      return false;
    const bool zero = choice.index == 0;
    if (have_zero || (out.has_choice && !zero))
      return true;
    out.has_choice = true;
    have_zero = zero;
    copy(choice.content, out.content);
    copy(choice.finish_reason, out.finish_reason);
    return true;
  });
}

// One member of the root object; `seen` carries the members before it. A reader that resumes a
// root object part-way (wire_scan_path.cpp) calls this with the Seen it had at that member.
template <class Value>
bool read_root_member(std::string_view name, Value& member, Shape shape, CompletionView& out,
                      Seen& seen) {
  if (is(name, "choices"))
    return seen.first(0) && read_choices(member, shape, out);
  if (is(name, "id"))
    return seen.first(1) && read_string(member, out.id);
  if (is(name, "model"))
    return seen.first(2) && read_string(member, out.model);
  if (is(name, "usage"))
    return seen.first(3) && read_usage(member, out.usage);
  if (is(name, "object")) {
    std::string_view object;
    return seen.first(4) && read_string(member, object) && object != "error";
  }
  if (is(name, "error"))
    return false;  // error objects are reported by the typed decoder
  return member.skip();
}

template <class Value>
bool read_root(Value& root, Shape shape, CompletionView& out) {
  Seen seen;
  return root.each_member([&](std::string_view name, Value& member) {
    return read_root_member(name, member, shape, out, seen);
  });
}

}  // namespace rules

/// Reads the answer or chunk at `root` into `out`; false to decline. An answer needs a choice.
/// The caller still checks that nothing follows the root value.
template <class Value>
bool read_completion(Value& root, Shape shape, CompletionView& out) {
  return rules::read_root(root, shape, out) && (shape == Shape::chunk || out.has_choice);
}

}  // namespace opsgraph::llm::wire
