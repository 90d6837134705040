#pragma once
// opsgraph ids: UUIDv7 (RFC 9562) — 48 bits of unix milliseconds first, so ids of tasks, runs and
// events sort by creation time as plain strings, in a store's index as well as in a listing.

#include <memory>
#include <opsgraph/core/clock.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <string>
#include <string_view>

namespace opsgraph {

/// Makes UUIDv7 strings ("0193a5f2-7c1e-7a3b-9f2d-4c6e8a1b3d5f"), strictly increasing per
/// generator even when the clock stands still or steps back (RFC 9562 §6.2 method 1: a counter
/// re-seeded at random each new millisecond). Thread-safe. Borrows `clock`, which must outlive
/// the generator; owns its random engine, seeded from std::random_device.
class OPSGRAPH_API IdGenerator {
 public:
  explicit IdGenerator(const Clock& clock = Clock::system());
  ~IdGenerator();
  IdGenerator(const IdGenerator&) = delete;
  IdGenerator& operator=(const IdGenerator&) = delete;

  /// A new id, greater (as a string) than every id this generator returned before.
  std::string next();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Whether `text` is a UUID in canonical form: 8-4-4-4-12 lowercase hex digits (any version).
OPSGRAPH_API bool is_uuid(std::string_view text) noexcept;

/// The creation time stored in a UUIDv7; invalid_argument for anything else (another version, a
/// wrong variant, uppercase or malformed text).
OPSGRAPH_API result<TimePoint> uuid_v7_time(std::string_view text);

}  // namespace opsgraph
