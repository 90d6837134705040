#pragma once
// One line of a cassette, both ways: what Recorder appends and Replay reads back (the format is
// described in <opsgraph/llm/cassette.hpp>). Stateless; thread-safe. Private to src/llm.

#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/llm/chat.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm {

/// One recorded call: the request in normal form, its key, and what the provider answered.
struct CassetteEntry {
  json::Value request;
  std::string key;
  result<ChatResponse> outcome;
};

/// `value` with every string redacted (redact_secrets).
json::Value redact_strings(json::Value value);

/// The line (no newline) recording `outcome` for the normal-form `request`; every string of it
/// redacted.
std::string format_cassette_line(const json::Value& request, const result<ChatResponse>& outcome);

/// Reads one line back; the error says what is wrong with it (the caller adds where).
result<CassetteEntry> parse_cassette_line(std::string_view line);

}  // namespace opsgraph::llm
