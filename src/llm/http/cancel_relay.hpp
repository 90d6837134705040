#pragma once
// CancelRelay — carries a caller's cancellation to a call running on the provider's strand.
//
// Boost 1.81's co_spawn forwards cancellation to another executor by posting a raw pointer into
// the caller's slot; when the call completes before that post runs, the pointer dangles (a
// use-after-free UBSan reports as an invalid vptr in cancellation_signal::emit). The relay owns
// its signal, is touched only on the strand, remembers a cancellation that arrives before the
// call starts, and ignores one that arrives after it finished.

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <optional>

namespace opsgraph::llm::detail {

struct CancelRelay {
  /// What the spawned call is bound to; emitted only on the strand, only while the call runs.
  boost::asio::cancellation_signal signal;
  // All three are read and written on the strand only.
  bool started = false;
  bool finished = false;
  std::optional<boost::asio::cancellation_type> early;

  /// On the strand: passes `type` on to the running call, or keeps it for the call's start.
  void deliver(boost::asio::cancellation_type type) {
    if (finished)
      return;
    if (!started) {
      early = type;
      return;
    }
    signal.emit(type);
  }
};

}  // namespace opsgraph::llm::detail
