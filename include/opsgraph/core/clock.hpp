#pragma once
// opsgraph::Clock — where opsgraph reads wall-clock time (timestamps, lease expiry), so tests can
// move time by hand. Timers that only measure durations use Asio's steady clock instead.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <span>
#include <string>
#include <string_view>

namespace opsgraph {

using SystemClock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<SystemClock, std::chrono::milliseconds>;

/// Tells the current time. Implementations are thread-safe.
class OPSGRAPH_API Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const noexcept = 0;

  /// The real clock (std::chrono::system_clock at millisecond resolution). Lives forever.
  static const Clock& system() noexcept;
};

/// A clock that only moves when told to: for tests of leases, expiry and timestamps.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = TimePoint{std::chrono::milliseconds{1'700'000'000'000}})
      : now_(start.time_since_epoch().count()) {}
  TimePoint now() const noexcept override {
    return TimePoint{std::chrono::milliseconds{now_.load(std::memory_order_acquire)}};
  }
  void advance(std::chrono::milliseconds by) noexcept {
    now_.fetch_add(by.count(), std::memory_order_acq_rel);
  }
  void set(TimePoint t) noexcept {
    now_.store(t.time_since_epoch().count(), std::memory_order_release);
  }

 private:
  std::atomic<std::int64_t> now_;
};

/// How long format_timestamp's text is.
inline constexpr std::size_t kTimestampLength = 24;

/// RFC 3339 in UTC with milliseconds: "2026-11-26T10:00:04.120Z".
OPSGRAPH_API std::string format_timestamp(TimePoint t);
/// The same text written into `out`, without allocating (for encoders that write many).
OPSGRAPH_API void format_timestamp(TimePoint t, std::span<char, kTimestampLength> out) noexcept;

/// Parses what format_timestamp writes (also accepts no fraction and a numeric offset).
OPSGRAPH_API result<TimePoint> parse_timestamp(std::string_view text);

}  // namespace opsgraph
