#include "server_core.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "connection.hpp"

namespace opsgraph::mock::detail {

namespace asio = boost::asio;

std::optional<std::uint64_t> ConnectionRegistry::add(std::weak_ptr<Closable> connection) {
  std::lock_guard lock(mutex_);
  if (closed_)
    return std::nullopt;
  const auto id = next_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  connections_.erase(id);
}

void ConnectionRegistry::close_all() {
  std::vector<std::shared_ptr<Closable>> live;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (auto& [id, connection] : connections_) {
      if (auto locked = connection.lock())
        live.push_back(std::move(locked));
    }
  }
  for (auto& connection : live)
    connection->close();
}

bool ConnectionRegistry::empty() const {
  std::lock_guard lock(mutex_);
  return connections_.empty();
}

Task<void> accept_connections(std::shared_ptr<ServerCore> core) {
  constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
  // After a failed accept (EMFILE, say), wait before retrying instead of spinning.
  constexpr auto kAcceptBackoff = std::chrono::milliseconds(20);
  asio::steady_timer backoff(core->acceptor.get_executor());
  while (core->acceptor.is_open()) {
    auto strand = asio::make_strand(core->io);
    auto [ec, socket] = co_await core->acceptor.async_accept(strand, kNoThrow);
    if (ec == asio::error::operation_aborted || !core->acceptor.is_open())
      break;
    if (ec) {
      backoff.expires_after(kAcceptBackoff);
      co_await backoff.async_wait(kNoThrow);
      continue;
    }
    serve_connection(core, std::move(socket));
  }
  core->accepting = false;
}

}  // namespace opsgraph::mock::detail
