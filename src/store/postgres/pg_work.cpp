// PostgresStore::wait_for_work and watch_work: idle workers woken by LISTEN/NOTIFY, with polling
// as the fallback while the listening connection is down.
#include <algorithm>
#include <opsgraph/store/postgres_store.hpp>

#include "store/postgres/pg_store_impl.hpp"

namespace opsgraph::store {
namespace detail::pg {
namespace {

// What the table says now: whether a task is claimable, and the earliest expiry of a lease
// that holds a runnable task (when that passes, the task becomes claimable without a notice).
struct Probe {
  bool claimable = false;
  std::optional<TimePoint> next_expiry;
};

result<Probe> probe(Connection& connection, TimePoint now) {
  OPSGRAPH_TRY(auto rows,
               connection.query("SELECT EXISTS (SELECT 1 FROM tasks WHERE runnable AND "
                                "(lease_expires_at IS NULL OR lease_expires_at <= $1)), "
                                "(SELECT MIN(lease_expires_at) FROM tasks WHERE runnable AND "
                                "lease_expires_at > $1)",
                                Params().add(to_ms(now)), "wait for work"));
  Probe found;
  found.claimable = rows.boolean(0, 0);
  if (!rows.is_null(0, 1))
    found.next_expiry = from_ms(rows.int64(0, 1));
  return found;
}

// A watch_work() registration: a watcher of the store's listener.
class ListenerWatch final : public WorkWatch {
 public:
  ListenerWatch(Listener& listener, std::function<void()> on_work)
      : listener_(listener), id_(listener.add_watcher(std::move(on_work))) {}
  ~ListenerWatch() override { listener_.remove_watcher(id_); }
  ListenerWatch(const ListenerWatch&) = delete;
  ListenerWatch& operator=(const ListenerWatch&) = delete;

 private:
  Listener& listener_;
  std::uint64_t id_;
};

}  // namespace
}  // namespace detail::pg

detail::pg::Listener& PostgresStore::Impl::started_listener() {
  std::lock_guard lock(listener_mutex);
  if (!listener)
    listener = std::make_unique<detail::pg::Listener>(pool.settings());
  return *listener;
}

std::unique_ptr<WorkWatch> PostgresStore::watch_work(std::function<void()> on_work) {
  return std::make_unique<detail::pg::ListenerWatch>(impl_->started_listener(), std::move(on_work));
}

result<bool> PostgresStore::wait_for_work(std::chrono::milliseconds timeout) {
  if (timeout.count() < 0 || timeout > std::chrono::hours{24})
    return fail(errc::invalid_argument, "wait_for_work timeout must be between 0 and 24 hours");
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  detail::pg::Listener* listener = &impl_->started_listener();
  // The first wait gives the listener the time to connect, so its notices are not missed.
  listener->wait_started(std::min(deadline, start + impl_->options.connect_timeout));
  for (;;) {
    // Read the count before looking, so a notice sent after the look still wakes us.
    auto seen = listener->generation();
    detail::pg::Probe state;
    {
      OPSGRAPH_TRY(auto connection, impl_->pool.acquire("wait for work"));
      OPSGRAPH_TRY(state, detail::pg::probe(*connection, impl_->clock.now()));
    }
    if (state.claimable)
      return true;
    auto steady_now = std::chrono::steady_clock::now();
    if (steady_now >= deadline)
      return false;
    auto wake = deadline;
    if (state.next_expiry) {
      auto until_expiry = *state.next_expiry - impl_->clock.now();
      wake = std::min(wake, steady_now + std::max(until_expiry, std::chrono::milliseconds{1}));
    }
    if (!listener->listening())
      wake = std::min(wake, steady_now + impl_->options.poll_interval);
    if (listener->wait_for_change(seen, wake))
      return true;
  }
}

}  // namespace opsgraph::store
