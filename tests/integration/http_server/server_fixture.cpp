#include "server_fixture.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <opsgraph/core/json_value.hpp>
#include <stdexcept>
#include <thread>

namespace opsgraph::http::testing {

namespace asio = boost::asio;

void Probe::push_event(std::string event) {
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(event));
  if (stream_ != nullptr)
    stream_->wake();
}

std::optional<std::string> Probe::take_event() {
  std::lock_guard lock(mutex_);
  if (events_.empty())
    return std::nullopt;
  auto event = std::move(events_.front());
  events_.pop_front();
  return event;
}

void Probe::set_stream(Exchange* exchange) {
  std::lock_guard lock(mutex_);
  stream_ = exchange;
}

void Probe::mark_started(const std::string& route) {
  std::lock_guard lock(mutex_);
  ++started_[route];
  changed_.notify_all();
}

bool Probe::wait_started(const std::string& route, int count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return started_[route] >= count; });
}

void Probe::record_pause(bool result) {
  std::lock_guard lock(mutex_);
  pause_result_ = result;
  changed_.notify_all();
}

std::optional<bool> Probe::wait_pause_result(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return pause_result_.has_value(); });
  return pause_result_;
}

void Probe::record_flood(Flood flood) {
  std::lock_guard lock(mutex_);
  flood_ = flood;
  changed_.notify_all();
}

std::optional<Probe::Flood> Probe::wait_flood(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return flood_.has_value(); });
  return flood_;
}

namespace {

// g++ 12 mishandles temporaries built in the arguments of an awaited call: callers name the body
// first, and this takes it by reference.
Task<void> answer(Exchange& exchange, int status, const std::string& body) {
  Response response{.status = status, .content_type = "text/plain", .headers = {}, .body = body};
  co_await exchange.respond(std::move(response));
}

Task<void> query(Exchange& exchange) {
  auto pairs = parse_query(exchange.request().query());
  if (!pairs) {
    const auto message = pairs.error().message;
    co_await answer(exchange, 400, message);
    co_return;
  }
  std::string text;
  for (const auto& [name, value] : pairs.value())
    text += name + "=" + value + ";";
  co_await answer(exchange, 200, text);
}

Task<void> slow(Exchange& exchange) {
  asio::steady_timer work(co_await asio::this_coro::executor);
  work.expires_after(std::chrono::milliseconds(300));
  co_await work.async_wait(asio::use_awaitable);
  const std::string body = "slow done";
  co_await answer(exchange, 200, body);
}

Task<void> wait(Probe& probe, Exchange& exchange) {
  const bool paused = co_await exchange.pause(std::chrono::seconds(10));
  probe.record_pause(paused);
  const std::string body = "waited";
  if (paused)
    co_await answer(exchange, 200, body);
}

Task<void> stream(Probe& probe, Exchange& exchange) {
  Headers headers{{"Cache-Control", "no-cache"}};
  std::string content_type = "text/event-stream";
  const bool began =
      co_await exchange.begin_stream(200, std::move(content_type), std::move(headers));
  if (!began)
    co_return;
  probe.set_stream(&exchange);
  probe.mark_started("/stream");
  bool open = true;
  while (open) {
    const auto event = probe.take_event();
    if (!event) {
      open = co_await exchange.pause(std::chrono::seconds(5));
      continue;
    }
    if (*event == "end")
      break;
    const auto chunk = "data: " + *event + "\n\n";
    open = co_await exchange.write_chunk(chunk);
  }
  probe.set_stream(nullptr);
  co_await exchange.end_stream();
}

Task<void> flood(Probe& probe, Exchange& exchange) {
  constexpr std::size_t kChunk = 64 * 1024;
  constexpr std::size_t kMost = std::size_t{1} << 30;
  std::string content_type = "application/octet-stream";
  Headers no_headers;
  const bool began =
      co_await exchange.begin_stream(200, std::move(content_type), std::move(no_headers));
  if (!began)
    co_return;
  const std::string chunk(kChunk, 'f');
  Probe::Flood flood;
  while (flood.bytes < kMost) {
    const bool written = co_await exchange.write_chunk(chunk);
    if (!written) {
      flood.write_failed = true;
      break;
    }
    flood.bytes += kChunk;
  }
  probe.record_flood(flood);
  co_await exchange.end_stream();
}

}  // namespace

Task<void> route(std::shared_ptr<Probe> probe, Exchange& exchange) {
  const auto path = exchange.request().path();
  probe->mark_started(std::string(path));
  if (path == "/hello") {
    const std::string body = "hello";
    co_await answer(exchange, 200, body);
  } else if (path == "/echo") {
    const auto& request = exchange.request();
    const auto body = std::string(request.method()) + " " + std::string(request.body());
    co_await answer(exchange, 200, body);
  } else if (path == "/big") {
    const std::string body(40000, 'b');
    co_await answer(exchange, 200, body);
  } else if (path == "/query") {
    co_await query(exchange);
  } else if (path == "/header") {
    const auto value = exchange.request().header("x-test");
    std::string body = "<none>";
    if (value)
      body = *value;
    co_await answer(exchange, 200, body);
  } else if (path == "/silent") {
    co_return;
  } else if (path == "/throw") {
    throw std::runtime_error("the handler broke");
  } else if (path == "/slow") {
    co_await slow(exchange);
  } else if (path == "/wait") {
    co_await wait(*probe, exchange);
  } else if (path == "/stream") {
    co_await stream(*probe, exchange);
  } else if (path == "/flood") {
    co_await flood(*probe, exchange);
  } else {
    const std::string body = "no route";
    co_await answer(exchange, 404, body);
  }
}

void expect_problem(const Reply& reply, unsigned status) {
  EXPECT_EQ(reply.status, status) << reply.body;
  EXPECT_EQ(reply.header("content-type"), "application/problem+json");
  auto body = reply.json();
  ASSERT_TRUE(body.is_object()) << reply.body;
  EXPECT_EQ(*body.find("type"), json::Value("about:blank"));
  EXPECT_EQ(*body.find("status"), json::Value(static_cast<int>(status)));
  EXPECT_EQ(*body.find("title"), json::Value(reason_phrase(static_cast<int>(status))));
  EXPECT_TRUE(body.find("detail") && body.find("detail")->is_string()) << reply.body;
}

}  // namespace opsgraph::http::testing
