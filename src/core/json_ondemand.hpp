#pragma once
// The simdjson ondemand side of json::Reader and json::parse: what one parse carries, the one
// place where simdjson's error codes become opsgraph Errors, and typed reads of a single value.
// Private to src/core (included by json_parse.cpp only).

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <opsgraph/core/json_reader.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json_utf8.hpp"

namespace opsgraph::json::ondemand_detail {

namespace od = simdjson::ondemand;

// Where json::parse gathers the members and elements of the containers it is building.
struct Scratch {
  std::vector<std::pair<std::string, Value>> members;
  std::vector<Value> elements;
};

// One parse: the simdjson document, what errors need to say where they happened, and scratch.
struct Session {
  od::document doc;
  Scratch* scratch = nullptr;
  const char* begin = nullptr;  // the caller's text, as copied into the padded buffer
  std::size_t length = 0;
  std::size_t max_depth = 0;
};

// Where simdjson stopped, as a byte offset into the caller's text (its length when past the end).
inline std::optional<std::size_t> offset_of(Session& session) {
  const char* where = nullptr;
  const simdjson::error_code code = session.doc.current_location().get(where);
  if (code == simdjson::OUT_OF_BOUNDS)
    return session.length;
  if (code != simdjson::SUCCESS)
    return std::nullopt;
  if (where < session.begin)
    return 0;
  return std::min(static_cast<std::size_t>(where - session.begin), session.length);
}

inline std::string_view describe(simdjson::error_code code) {
  switch (code) {
    case simdjson::TAPE_ERROR:
      return "unexpected character (a missing or extra comma, colon, bracket or brace)";
    case simdjson::INCORRECT_TYPE:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "invalid literal (expected true, false or null)";
    case simdjson::NUMBER_ERROR:
      return "invalid number";
    case simdjson::NUMBER_OUT_OF_RANGE:
      return "number out of range";
    case simdjson::STRING_ERROR:
      return "invalid string (a bad escape or an unpaired surrogate)";
    case simdjson::UNCLOSED_STRING:
      return "unterminated string";
    case simdjson::UNESCAPED_CHARS:
      return "unescaped control character in a string";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::EMPTY:
      return "no JSON value (the text is empty or only whitespace)";
    case simdjson::TRAILING_CONTENT:
      return "unexpected content after the JSON value";
    case simdjson::DEPTH_ERROR:
      return "nesting too deep";
    default:
      return simdjson::error_message(code);
  }
}

inline Error malformed(std::string_view what, std::optional<std::size_t> offset) {
  std::string message = "malformed JSON";
  if (offset)
    message += " at byte " + std::to_string(*offset);
  message += ": ";
  message += what;
  Error error = detail::decode_error(message);
  if (offset)
    error.details.set("offset", Value(*offset));
  return error;
}

inline Error syntax_error(Session& session, simdjson::error_code code) {
  switch (code) {
    case simdjson::MEMALLOC:
    case simdjson::CAPACITY:
    case simdjson::INSUFFICIENT_PADDING:
    case simdjson::UNINITIALIZED:
      return make_error(errc::internal,
                        std::string("JSON parser: ") + simdjson::error_message(code));
    default:
      break;
  }
  const std::optional<std::size_t> offset = offset_of(session);
  if (code == simdjson::INCOMPLETE_ARRAY_OR_OBJECT || (offset && *offset == session.length)) {
    return malformed("unexpected end of input (an array or object is not closed)", offset);
  }
  return malformed(describe(code), offset);
}

// Stage-1 failures (before any value is read) carry no position; these find it in the text.
inline std::optional<std::size_t> find_in_strings(std::string_view text, bool control_characters) {
  bool in_string = false;
  std::size_t opened = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!in_string) {
      if (c == '"') {
        in_string = true;
        opened = i;
      }
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (control_characters && c < 0x20) {
      return i;
    }
  }
  if (in_string && !control_characters)
    return opened;
  return std::nullopt;
}

inline Error stage1_error(std::string_view text, simdjson::error_code code) {
  std::optional<std::size_t> offset;
  if (code == simdjson::UTF8_ERROR)
    offset = detail::utf8_valid_prefix(text);
  if (code == simdjson::UNESCAPED_CHARS)
    offset = find_in_strings(text, true);
  if (code == simdjson::UNCLOSED_STRING)
    offset = find_in_strings(text, false);
  if (code == simdjson::MEMALLOC || code == simdjson::CAPACITY) {
    return make_error(errc::internal, std::string("JSON parser: ") + simdjson::error_message(code));
  }
  return malformed(describe(code), offset);
}

inline Error depth_error(Session& session) {
  Error error =
      detail::decode_error("nesting deeper than " + std::to_string(session.max_depth) + " levels");
  if (auto offset = offset_of(session))
    error.details.set("offset", Value(*offset));
  return error;
}

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
inline bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-')
    ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits())
      return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      ++i;
    if (!digits())
      return false;
  }
  return i == s.size();
}

inline Kind to_kind(od::json_type type) noexcept {
  switch (type) {
    case od::json_type::array:
      return Kind::array;
    case od::json_type::object:
      return Kind::object;
    case od::json_type::number:
      return Kind::number;
    case od::json_type::string:
      return Kind::string;
    case od::json_type::boolean:
      return Kind::boolean;
    case od::json_type::null:
      return Kind::null;
  }
  return Kind::null;
}

inline result<od::json_type> type_of(Session& session, od::value& v) {
  od::json_type type{};
  if (auto code = v.type().get(type))
    return fail(syntax_error(session, code));
  return type;
}

// Checks the type before reading: a value of another type is a type error, a value of the right
// type that fails to read is malformed text.
inline result<void> expect(Session& session, od::value& v, od::json_type want,
                           std::string_view expected) {
  OPSGRAPH_TRY(od::json_type type, type_of(session, v));
  if (type != want)
    return fail(detail::type_error(expected, to_kind(type)));
  return ok();
}

// Why a number simdjson could not read is malformed: beyond double's range, or not a number.
inline Error number_error(Session& session, od::value& v) {
  std::string_view token = v.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return syntax_error(
      session, is_json_number(token) ? simdjson::NUMBER_OUT_OF_RANGE : simdjson::NUMBER_ERROR);
}

// Integers that do not fit 64 bits become doubles, as RFC 8259 readers do.
inline result<Number> read_number_of(Session& session, od::value& v, std::string_view expected) {
  OPSGRAPH_TRY(expect(session, v, od::json_type::number, expected));
  od::number_type type{};
  if (auto code = v.get_number_type().get(type))
    return fail(syntax_error(session, code));
  if (type == od::number_type::signed_integer) {
    std::int64_t i = 0;
    if (v.get_int64().get(i) == simdjson::SUCCESS)
      return Number(i);
  } else if (type == od::number_type::unsigned_integer) {
    std::uint64_t u = 0;
    if (v.get_uint64().get(u) == simdjson::SUCCESS)
      return Number(u);
  }
  double d = 0;
  if (v.get_double().get(d) == simdjson::SUCCESS)
    return Number(d);
  return fail(number_error(session, v));
}

inline result<std::string_view> read_string_of(Session& session, od::value& v) {
  OPSGRAPH_TRY(expect(session, v, od::json_type::string, "string"));
  std::string_view text;
  if (auto code = v.get_string().get(text))
    return fail(syntax_error(session, code));
  return text;
}

}  // namespace opsgraph::json::ondemand_detail
