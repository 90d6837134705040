#pragma once
// The objects behind the engine half of the C ABI: the engine, a provider made of C callbacks and
// an event subscription, each tagged like the handles in handles.hpp; and the calling thread's
// "inside an opsgraph callback" mark, which refuses the calls that would deadlock there.

#include <cstdint>
#include <memory>
#include <mutex>
#include <opsgraph/engine/engine.hpp>
#include <opsgraph/llm/provider.hpp>
#include <string>
#include <vector>

#include "handles.hpp"

namespace opsgraph::capi {

inline constexpr std::uint64_t kEngineTag = 0x6f70732e656e6769;        // "ops.engi"
inline constexpr std::uint64_t kProviderTag = 0x6f70732e70726f76;      // "ops.prov"
inline constexpr std::uint64_t kSubscriptionTag = 0x6f70732e73756273;  // "ops.subs"

/// Marks the calling thread as running a C callback (a chat or an event function) while alive.
class CallbackScope {
 public:
  CallbackScope() noexcept;
  ~CallbackScope();
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;
};

/// Whether the calling thread is inside a C callback of opsgraph.
bool in_callback() noexcept;

/// CONFLICT naming `entry` when called from inside a callback, OPSGRAPH_OK otherwise.
opsgraph_status refuse_in_callback(std::string_view entry) noexcept;

/// One C subscriber: its function runs under `mutex` and only while `active`, so ending it waits
/// for a call in progress (recursive: the function may end its own subscription).
struct Subscriber {
  std::string task_id;
  opsgraph_event_fn callback = nullptr;
  void* user_data = nullptr;
  opsgraph_destroy_fn destroy = nullptr;
  std::recursive_mutex mutex;
  bool active = true;
};

/// The C subscribers of one engine, fed by a single engine subscription. Thread-safe; outlives
/// the engine while a subscription handle holds it.
class EventHub {
 public:
  void add(std::shared_ptr<Subscriber> subscriber);
  /// Removes `subscriber` and returns once its function is not running and never will again.
  void remove(const std::shared_ptr<Subscriber>& subscriber) noexcept;
  /// Calls each active subscriber of `event`'s task with its JSON.
  void deliver(const store::TaskEvent& event);

 private:
  std::mutex mutex_;
  // Replaced, never changed, so deliver() runs the callbacks without holding mutex_.
  std::shared_ptr<const std::vector<std::shared_ptr<Subscriber>>> subscribers_ =
      std::make_shared<const std::vector<std::shared_ptr<Subscriber>>>();
};

}  // namespace opsgraph::capi

struct opsgraph_engine {
  static constexpr std::uint64_t kTag = opsgraph::capi::kEngineTag;

  std::uint64_t tag = kTag;
  std::unique_ptr<opsgraph::engine::Engine> engine;
  std::shared_ptr<opsgraph::capi::EventHub> hub = std::make_shared<opsgraph::capi::EventHub>();
  std::mutex subscribe_mutex;
  // The one engine subscription feeding `hub`, made on the first opsgraph_engine_subscribe().
  opsgraph::engine::Subscription feed;
  bool feeding = false;
};

struct opsgraph_provider {
  static constexpr std::uint64_t kTag = opsgraph::capi::kProviderTag;
  explicit opsgraph_provider(std::shared_ptr<opsgraph::llm::Provider> p) : provider(std::move(p)) {}

  std::uint64_t tag = kTag;
  std::shared_ptr<opsgraph::llm::Provider> provider;
};

struct opsgraph_subscription {
  static constexpr std::uint64_t kTag = opsgraph::capi::kSubscriptionTag;

  std::uint64_t tag = kTag;
  std::shared_ptr<opsgraph::capi::EventHub> hub;
  std::shared_ptr<opsgraph::capi::Subscriber> subscriber;
};
