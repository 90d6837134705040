// The WHATWG event-stream parsing algorithm, fed in pieces. Complete lines are read in place from
// the caller's bytes; only a line cut by the end of a piece is copied, to be completed by the next.

#include "llm/sse_parser.hpp"

#include <emmintrin.h>

#include <bit>
#include <string_view>

namespace opsgraph::llm::wire {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// The first \n or \r at or after `from`, thirty-two bytes a step: one pass over the line, where
// two memchr calls (one per character) read it twice and cost a call each even for the empty
// line that ends an event.
std::size_t find_line_end(std::string_view bytes, std::size_t from) noexcept {
  const char* const begin = bytes.data();
  const char* at = begin + from;
  const char* const end = begin + bytes.size();
  const auto ends_in = [](const char* block) {
    const __m128i bytes16 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes16, _mm_set1_epi8('\n')),
                                       _mm_cmpeq_epi8(bytes16, _mm_set1_epi8('\r')))));
  };
  const auto offset = [begin](const char* at, unsigned ends) {
    return static_cast<std::size_t>(at - begin) + static_cast<std::size_t>(std::countr_zero(ends));
  };
  for (; end - at >= 32; at += 32) {
    const unsigned ends = ends_in(at) | ends_in(at + 16) << 16;
    if (ends != 0)
      return offset(at, ends);
  }
  for (; end - at >= 16; at += 16) {
    const unsigned ends = ends_in(at);
    if (ends != 0)
      return offset(at, ends);
  }
  for (; at != end; ++at) {
    if (*at == '\n' || *at == '\r')
      return static_cast<std::size_t>(at - begin);
  }
  return std::string_view::npos;
}

}  // namespace

bool SseParser::feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event) {
  std::size_t i = 0;
  if (after_cr_ && !bytes.empty()) {
    after_cr_ = false;
    if (bytes.front() == '\n')
      i = 1;  // the \n of a \r\n split across two pieces
  }
  while (i < bytes.size()) {
    const std::size_t end = find_line_end(bytes, i);
    if (end == std::string_view::npos) {
      line_.append(bytes.substr(i));
      return true;
    }
    std::size_t next = end + 1;
    if (bytes[end] == '\r') {
      if (next == bytes.size()) {
        after_cr_ = true;
      } else if (bytes[next] == '\n') {
        ++next;
      }
    }
    bool go = true;
    if (line_.empty()) {
      go = take_line(bytes.substr(i, end - i), on_event);
    } else {
      line_.append(bytes.substr(i, end - i));
      go = take_line(line_, on_event);
      line_.clear();
    }
    if (!go)
      return false;
    i = next;
  }
  return true;
}

bool SseParser::take_line(std::string_view line,
                          const std::function<bool(const SseEvent&)>& on_event) {
  if (at_start_) {
    at_start_ = false;
    if (line.starts_with(kByteOrderMark))
      line.remove_prefix(kByteOrderMark.size());
  }
  if (line.empty()) {
    event_bytes_ = 0;
    bool go = true;
    if (has_data_)
      go = on_event(event_);
    event_.event.clear();
    event_.data.clear();
    has_data_ = false;
    return go;
  }
  if (line.front() == ':')
    return true;  // a comment: servers send them as keep-alives
  event_bytes_ += line.size() + 1;
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    take_field(line, {});
    return true;
  }
  std::string_view value = line.substr(colon + 1);
  if (value.starts_with(' '))
    value.remove_prefix(1);
  take_field(line.substr(0, colon), value);
  return true;
}

void SseParser::take_field(std::string_view name, std::string_view value) {
  if (name == "data") {
    if (has_data_)
      event_.data.push_back('\n');
    event_.data.append(value);
    has_data_ = true;
  } else if (name == "event") {
    event_.event.assign(value);
  } else if (name == "id") {
    if (value.find('\0') == std::string_view::npos)
      event_.id.assign(value);
  }
  // "retry" and unknown fields are ignored, as the spec says.
}

}  // namespace opsgraph::llm::wire
