#include "delivery.hpp"

#include <algorithm>

namespace opsgraph::mock::detail {

namespace {

// Events a reset_mid_stream answer sends before the reset: the role delta and some content.
constexpr std::size_t kEventsBeforeReset = 3;
// The pause before a reset, so the client has read what was sent: on Linux an incoming RST
// discards received data the application has not read yet.
constexpr auto kPauseBeforeReset = std::chrono::milliseconds(50);

// A head announcing the whole body, followed by half of it: what a truncated answer sends.
std::string truncated_text(const Reply& reply) {
  return "HTTP/1.1 " + std::to_string(reply.status) + " " +
         std::string(http::reason_phrase(static_cast<int>(reply.status))) +
         "\r\nContent-Type: " + reply.content_type +
         "\r\nContent-Length: " + std::to_string(reply.body.size()) +
         "\r\nConnection: close\r\n\r\n" + reply.body.substr(0, reply.body.size() / 2);
}

Task<void> deliver_whole(http::Exchange& exchange, Reply& reply) {
  http::Response response{.status = static_cast<int>(reply.status),
                          .content_type = std::move(reply.content_type),
                          .headers = std::move(reply.headers),
                          .body = std::move(reply.body)};
  co_await exchange.respond(std::move(response));
}

Task<bool> begin_event_stream(http::Exchange& exchange) {
  http::Headers headers{{"Cache-Control", "no-cache"}};
  std::string content_type = "text/event-stream";
  const bool began =
      co_await exchange.begin_stream(200, std::move(content_type), std::move(headers));
  co_return began;
}

Task<void> deliver_stream(http::Exchange& exchange, const Reply& reply,
                          std::chrono::milliseconds interval, Responder& responder) {
  if (!co_await begin_event_stream(exchange))
    co_return;
  for (const auto& event : reply.events) {
    if (interval.count() > 0) {
      if (!co_await exchange.pause(interval))
        co_return;
    }
    if (!co_await exchange.write_chunk(event)) {
      responder.stream_aborted();
      co_return;
    }
  }
  co_await exchange.end_stream();
}

Task<void> deliver_truncated(http::Exchange& exchange, const Reply& reply) {
  const auto text = truncated_text(reply);
  co_await exchange.write_raw(text);
  exchange.shutdown_send();
}

Task<void> deliver_reset(http::Exchange& exchange, const Reply& reply) {
  if (reply.events.empty()) {
    const auto text = truncated_text(reply);
    co_await exchange.write_raw(text);
  } else if (co_await begin_event_stream(exchange)) {
    const auto count = std::min(kEventsBeforeReset, reply.events.size() - 1);
    for (std::size_t i = 0; i < count; ++i) {
      if (!co_await exchange.write_chunk(reply.events[i]))
        break;
    }
  }
  co_await exchange.pause(kPauseBeforeReset);
  exchange.reset();
}

std::optional<std::string_view> header(const http::Request& request, std::string_view name) {
  return request.header(name);
}

}  // namespace

Task<void> handle_request(std::shared_ptr<MockState> state, http::Exchange& exchange) {
  const auto& request = exchange.request();
  const RequestView view{request.method(), request.target(), request.body(),
                         header(request, "x-mock-fault"), header(request, "x-mock-fault-count")};
  auto reply = state->responder.respond(view);
  // g++ 12 miscompiles co_await inside && and ||: the awaits here stand alone.
  if (reply.delay.count() > 0) {
    if (!co_await exchange.pause(reply.delay))
      co_return;
  }
  // Awaited in plain statements: g++ 12 mis-resumes `co_return co_await` inside a switch.
  if (reply.delivery == Delivery::whole)
    co_await deliver_whole(exchange, reply);
  else if (reply.delivery == Delivery::stream)
    co_await deliver_stream(exchange, reply, state->options.stream_event_interval,
                            state->responder);
  else if (reply.delivery == Delivery::hang)
    co_await exchange.drain_until_closed();
  else if (reply.delivery == Delivery::truncated)
    co_await deliver_truncated(exchange, reply);
  else
    co_await deliver_reset(exchange, reply);
}

}  // namespace opsgraph::mock::detail
