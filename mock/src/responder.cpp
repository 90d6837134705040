#include "responder.hpp"

#include <charconv>
#include <ctime>
#include <opsgraph/core/json.hpp>

#include "chat_call.hpp"
#include "openai_bodies.hpp"
#include "schema_instance.hpp"

namespace opsgraph::mock::detail {

namespace {

constexpr std::size_t kEchoBytes = 80;

std::int64_t unix_now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// The first `limit` bytes of `text`, shortened further so that no UTF-8 sequence is cut.
std::string_view utf8_prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit)
    return text;
  while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80)
    --limit;
  return text.substr(0, limit);
}

std::string default_content(const ChatCall& call) {
  const auto echo = utf8_prefix(call.last_user_message, kEchoBytes);
  switch (call.format) {
    case AnswerFormat::json_schema:
      if (!call.schema.is_null())
        return json::dump(instance_of(call.schema));
      [[fallthrough]];
    case AnswerFormat::json_object: {
      json::Value object = json::Object{};
      object.set("answer", "mock value");
      object.set("echo", echo);
      return json::dump(object);
    }
    case AnswerFormat::text:
      break;
  }
  return "Mock answer to: " + std::string(echo);
}

Answer make_answer(const ChatCall& call, const std::optional<RuleBook::Hit>& hit,
                   std::uint64_t id) {
  Answer answer;
  answer.id = "chatcmpl-mock-" + std::to_string(id);
  answer.model = call.model;
  answer.created = unix_now();
  if (hit) {
    const auto& response = hit->response;
    answer.content = response.json ? json::dump(*response.json) : response.content;
    answer.finish_reason = response.finish_reason;
  } else {
    answer.content = default_content(call);
  }
  answer.usage.prompt_tokens =
      estimate_tokens(call.prompt_bytes) + 3 * static_cast<std::int64_t>(call.message_count);
  answer.usage.completion_tokens = estimate_tokens(answer.content.size());
  if (hit && hit->response.usage) {
    answer.usage.prompt_tokens = hit->response.usage->prompt_tokens;
    answer.usage.completion_tokens = hit->response.usage->completion_tokens;
  }
  answer.usage.total_tokens = answer.usage.prompt_tokens + answer.usage.completion_tokens;
  return answer;
}

Reply answer_reply(const Answer& answer, const ChatCall& call) {
  Reply reply;
  if (call.stream) {
    reply.delivery = Delivery::stream;
    reply.content_type = "text/event-stream";
    reply.events = stream_events(answer, call.include_usage);
  } else {
    reply.body = completion_body(answer);
  }
  return reply;
}

Reply malformed_reply(Reply reply) {
  if (reply.delivery == Delivery::stream) {
    reply.events = {std::move(reply.events.front()),
                    "data: {\"id\": \"chatcmpl-mock\", \"choices\": [{\"delta\": {\"content\n\n",
                    "data: [DONE]\n\n"};
  } else {
    reply.body.resize(reply.body.size() / 2);
    reply.body += "<<not json";
  }
  return reply;
}

Reply faulted_reply(FaultKind kind, Reply answer, int retry_after, const ChatCall& call) {
  switch (kind) {
    case FaultKind::none:
      return answer;
    case FaultKind::rate_limited: {
      auto reply = error_reply(429,
                               "Rate limit reached for requests (injected by the mock server). "
                               "Please try again in " +
                                   std::to_string(retry_after) + "s.",
                               "requests", "rate_limit_exceeded");
      reply.headers.emplace_back("Retry-After", std::to_string(retry_after));
      reply.headers.emplace_back("x-ratelimit-reset-requests", std::to_string(retry_after) + "s");
      reply.headers.emplace_back("x-ratelimit-remaining-requests", "0");
      return reply;
    }
    case FaultKind::server_error:
      return error_reply(500, "The server had an error while processing your request.",
                         "server_error");
    case FaultKind::unavailable:
      return error_reply(503, "The server is overloaded or not ready yet.", "server_error",
                         "service_unavailable");
    case FaultKind::unauthorized:
      return error_reply(401, "Incorrect API key provided.", "invalid_request_error",
                         "invalid_api_key");
    case FaultKind::bad_request:
      return error_reply(400, "Invalid request (injected by the mock server).",
                         "invalid_request_error");
    case FaultKind::context_length_exceeded:
      return error_reply(400,
                         "This model's maximum context length is 8192 tokens. However, your "
                         "messages resulted in " +
                             std::to_string(8192 + estimate_tokens(call.prompt_bytes)) +
                             " tokens. Please reduce the length of the messages.",
                         "invalid_request_error", "context_length_exceeded");
    case FaultKind::hang:
      answer.delivery = Delivery::hang;
      return answer;
    case FaultKind::malformed_json:
      return malformed_reply(std::move(answer));
    case FaultKind::truncated:
      answer.delivery = Delivery::truncated;
      if (answer.body.empty()) {
        for (const auto& event : answer.events)
          answer.body += event;
      }
      return answer;
    case FaultKind::reset_mid_stream:
      answer.delivery = Delivery::reset;
      return answer;
    case FaultKind::wrong_content_type:
      answer = Reply{};
      answer.content_type = "text/html; charset=utf-8";
      answer.body = "<html><body><h1>502 Bad Gateway</h1><p>mock proxy page</p></body></html>";
      return answer;
  }
  return answer;
}

std::optional<std::uint64_t> to_count(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size())
    return std::nullopt;
  return value;
}

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// The paths the mock serves; /stats counts any other under one name, so that clients probing
// random paths cannot grow the counters without bound.
bool is_served_path(std::string_view path) {
  for (std::string_view served :
       {"/v1/chat/completions", "/chat/completions", "/v1/models", "/models", "/stats"}) {
    if (path == served)
      return true;
  }
  return false;
}

}  // namespace

Reply error_reply(unsigned status, std::string_view message, std::string_view type,
                  json::Value code) {
  Reply reply;
  reply.status = status;
  reply.body = error_body(message, type, code);
  return reply;
}

Responder::Responder(const ServerOptions& options, std::function<std::uint64_t()> open_connections)
    : options_(options), open_connections_(std::move(open_connections)), random_(options.seed) {}

Reply Responder::respond(const RequestView& request) {
  const auto path = path_of(request.target);
  {
    std::lock_guard lock(mutex_);
    ++stats_.total_requests;
    ++stats_.requests_by_path[is_served_path(path) ? std::string(path) : "(other)"];
  }
  const bool is_get = request.method == "GET";
  if (path == "/v1/chat/completions" || path == "/chat/completions") {
    if (request.method != "POST")
      return error_reply(405, "Use POST for " + std::string(path), "invalid_request_error",
                         "method_not_allowed");
    return chat_completion(request);
  }
  if ((path == "/v1/models" || path == "/models") && is_get)
    return models();
  if (path == "/stats" && is_get) {
    Reply reply;
    reply.body = json::dump(to_json(stats()));
    return reply;
  }
  return error_reply(
      404, "Unknown request URL: " + std::string(request.method) + " " + std::string(path),
      "invalid_request_error", "unknown_url");
}

std::optional<Fault> Responder::header_fault(const RequestView& request, Reply& refusal) {
  if (!request.fault_header)
    return std::nullopt;
  auto fault = parse_fault(*request.fault_header);
  if (!fault) {
    refusal = error_reply(400, "x-mock-fault: " + fault.error().message, "invalid_request_error",
                          "invalid_mock_fault");
    return std::nullopt;
  }
  std::optional<std::uint64_t> limit;
  if (request.fault_count_header) {
    limit = to_count(*request.fault_count_header);
    if (!limit) {
      refusal = error_reply(400, "x-mock-fault-count must be a non-negative integer",
                            "invalid_request_error", "invalid_mock_fault");
      return std::nullopt;
    }
  }
  // Called with mutex_ held (see chat_completion).
  const auto uses = ++fault_header_uses_[std::string(*request.fault_header)];
  if (limit && uses > *limit)
    return Fault{};
  return fault.value();
}

Reply Responder::chat_completion(const RequestView& request) {
  auto call = read_chat_call(request.body);
  if (!call)
    return error_reply(400, call.error().message, "invalid_request_error");

  std::optional<RuleBook::Hit> hit;
  Fault fault;
  std::uint64_t id = 0;
  std::chrono::milliseconds delay{0};
  {
    std::lock_guard lock(mutex_);
    Reply refusal;
    auto from_header = header_fault(request, refusal);
    if (refusal.status != 200)
      return refusal;
    hit = rules_.answer(call.value());
    if (hit)
      ++stats_.requests_by_rule[hit->rule_name];
    fault = from_header ? *from_header : hit ? hit->response.fault : Fault{};
    id = next_id_++;
    delay = draw_latency(fault);
    count_fault(fault);
  }
  const auto& chat = call.value();
  const auto retry_after = fault.retry_after_seconds.value_or(options_.retry_after_seconds);
  auto reply =
      faulted_reply(fault.kind, answer_reply(make_answer(chat, hit, id), chat), retry_after, chat);
  reply.delay = delay;
  return reply;
}

Reply Responder::models() {
  std::vector<std::string> names{options_.default_model};
  {
    std::lock_guard lock(mutex_);
    for (auto& model : rules_.models()) {
      if (model != options_.default_model)
        names.push_back(std::move(model));
    }
  }
  Reply reply;
  reply.body = models_body(names, unix_now());
  return reply;
}

std::chrono::milliseconds Responder::draw_latency(const Fault& fault) {
  if (!fault.has_latency())
    return {};
  if (fault.latency_max <= fault.latency_min)
    return fault.latency_min;
  std::uniform_int_distribution<std::int64_t> pick(fault.latency_min.count(),
                                                   fault.latency_max.count());
  return std::chrono::milliseconds(pick(random_));
}

void Responder::count_fault(const Fault& fault) {
  if (fault.kind != FaultKind::none)
    ++stats_.faults_injected[std::string(to_string(fault.kind))];
  else if (fault.has_latency())
    ++stats_.faults_injected["latency"];
}

result<void> Responder::add_rules(std::vector<Rule> rules) {
  std::lock_guard lock(mutex_);
  return rules_.add(std::move(rules));
}

void Responder::clear_rules() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

Stats Responder::stats() const {
  Stats stats;
  {
    std::lock_guard lock(mutex_);
    stats = stats_;
  }
  stats.open_connections = open_connections_ ? open_connections_() : 0;
  return stats;
}

void Responder::reset_stats() {
  std::lock_guard lock(mutex_);
  stats_ = Stats{};
  fault_header_uses_.clear();
}

void Responder::stream_aborted() {
  std::lock_guard lock(mutex_);
  ++stats_.streams_aborted;
}

}  // namespace opsgraph::mock::detail
