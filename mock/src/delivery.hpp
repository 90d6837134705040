#pragma once
// The mock's request handler on the shared HTTP server: hands each request to the Responder and
// delivers its Reply through the Exchange — whole, streamed, hung, truncated or reset, after the
// reply's delay. Internal.

#include <atomic>
#include <memory>
#include <opsgraph/http/server.hpp>
#include <opsgraph/mock/llm_server.hpp>

#include "responder.hpp"

namespace opsgraph::mock::detail {

/// What the handler of a running mock server shares with MockLlmServer. Thread-safe as its
/// members are.
struct MockState {
  MockState(const ServerOptions& server_options, std::function<std::uint64_t()> open_connections)
      : options(server_options), responder(server_options, std::move(open_connections)) {}

  const ServerOptions options;
  Responder responder;
};

/// Answers one request. `state` is taken by value: it outlives the request.
Task<void> handle_request(std::shared_ptr<MockState> state, http::Exchange& exchange);

}  // namespace opsgraph::mock::detail
