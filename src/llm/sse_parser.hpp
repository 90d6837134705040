#pragma once
// opsgraph::llm::wire::SseParser — an incremental text/event-stream parser following the WHATWG
// rules: lines may split across feed() calls at any byte; \n, \r\n and \r line ends; "data:"
// lines of one event joined with \n; "event:"/"id:" fields; ":" comment lines (keep-alives)
// ignored; an event dispatched on a blank line. One parser reads one stream; not thread-safe.
// Private to the library; exported only so that the unit tests can reach it.

#include <cstddef>
#include <functional>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm::wire {

/// One dispatched event. `event` is empty when the stream named no type ("message" by the spec);
/// `id` is the last event id the stream set, which persists across events as the spec says.
struct SseEvent {
  std::string event;
  std::string data;
  std::string id;

  friend bool operator==(const SseEvent&, const SseEvent&) = default;
};

class OPSGRAPH_API SseParser {
 public:
  /// Calls on_event for each complete event in `bytes`; returns false (and stops) if on_event does.
  /// The event passed is only valid during the call.
  bool feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event);

  /// Bytes buffered that do not yet form a complete event (0 after a clean end of stream).
  std::size_t pending() const noexcept { return line_.size() + event_bytes_; }

 private:
  // Applies one complete line (without its end); false when on_event asked to stop.
  bool take_line(std::string_view line, const std::function<bool(const SseEvent&)>& on_event);
  void take_field(std::string_view name, std::string_view value);

  SseEvent event_;
  std::string line_;             // a line whose end has not arrived yet
  std::size_t event_bytes_ = 0;  // bytes of field lines read since the last dispatch
  bool has_data_ = false;        // a data line arrived for the event being built
  bool after_cr_ = false;        // the last byte seen was \r: a \n right after it ends nothing
  bool at_start_ = true;         // nothing read yet: a leading byte-order mark is dropped
};

}  // namespace opsgraph::llm::wire
