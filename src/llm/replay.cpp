// Replay: a cassette loaded into memory, answering each request with its recordings in order.

#include <fstream>
#include <mutex>
#include <opsgraph/llm/cassette.hpp>
#include <opsgraph/llm/replay.hpp>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "llm/cassette_lines.hpp"
#include "llm/replay_diff.hpp"

namespace opsgraph::llm {

/// The loaded cassette and how far each request has been replayed.
struct Replay::Tape {
  struct Recordings {
    std::vector<result<ChatResponse>> outcomes;
    std::size_t next = 0;
  };

  std::string source;
  ReplayOptions options;
  std::unordered_map<std::string, Recordings> by_key;
  /// One normal form per key, in the order first recorded: the candidates for "closest".
  std::vector<json::Value> requests;
  std::size_t calls = 0;
  std::mutex mutex;

  result<void> load(std::string_view text) {
    std::size_t number = 0;
    while (!text.empty()) {
      ++number;
      const std::size_t end = std::min(text.find('\n'), text.size());
      const std::string_view line = text.substr(0, end);
      text.remove_prefix(std::min(end + 1, text.size()));
      if (line.find_first_not_of(" \t\r") == std::string_view::npos)
        continue;
      result<CassetteEntry> entry = parse_cassette_line(line);
      if (!entry) {
        return fail(errc::invalid_argument,
                    source + ":" + std::to_string(number) + ": " + entry.error().message);
      }
      add(std::move(entry).value());
    }
    return ok();
  }

  void add(CassetteEntry entry) {
    auto [at, is_new] = by_key.try_emplace(std::move(entry.key));
    if (is_new)
      requests.push_back(std::move(entry.request));
    at->second.outcomes.push_back(std::move(entry.outcome));
    ++calls;
  }

  result<ChatResponse> next(const ChatRequest& request) {
    const json::Value normal_form = cassette_request(request);
    const std::string key = cassette_key(normal_form);
    const std::lock_guard lock(mutex);
    const auto found = by_key.find(key);
    if (found == by_key.end())
      return fail(not_recorded(normal_form, key));
    Recordings& recordings = found->second;
    const std::size_t at = std::min(recordings.next, recordings.outcomes.size() - 1);
    ++recordings.next;
    return recordings.outcomes[at];
  }

  Error not_recorded(const json::Value& normal_form, const std::string& key) const {
    std::string message = "no recording in " + source + " matches this request (" + key + ")";
    message += requests.empty() ? "; the cassette is empty"
                                : "; " + describe_closest(requests, normal_form);
    return make_error(
        errc::not_found, std::move(message),
        json::Value(json::Object{{"cassette", json::Value(source)}, {"key", json::Value(key)}}));
  }
};

namespace {

// Observers must not throw; if one does, the call goes on and the exception is logged.
template <class F>
void notify(const Logger& logger, std::string_view hook, F&& call) {
  try {
    call();
  } catch (...) {
    const Error error = error_from_current_exception(hook);
    logger.warn("llm.replay", "a call hook threw; ignored", {{"error", error.message}});
  }
}

}  // namespace

result<std::unique_ptr<Replay>> Replay::open(const std::filesystem::path& path,
                                             ReplayOptions options) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::not_found, "cannot open cassette " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad())
    return fail(errc::storage, "cannot read cassette " + path.string());
  return from_text(text.str(), path.string(), std::move(options));
}

result<std::unique_ptr<Replay>> Replay::from_text(std::string_view text, std::string_view source,
                                                  ReplayOptions options) {
  auto tape = std::make_unique<Tape>();
  tape->source = std::string(source);
  tape->options = std::move(options);
  OPSGRAPH_TRY(tape->load(text));
  return std::unique_ptr<Replay>(new Replay(std::move(tape)));
}

Replay::Replay(std::unique_ptr<Tape> tape) noexcept : tape_(std::move(tape)) {}

Replay::~Replay() = default;

std::size_t Replay::size() const noexcept {
  return tape_->calls;
}

Task<result<ChatResponse>> Replay::do_chat(ChatRequest request, CallHooks hooks) {
  result<ChatResponse> outcome = tape_->next(request);
  const Logger& logger = tape_->options.logger;
  if (outcome && request.stream && hooks.on_delta && !outcome.value().content.empty())
    notify(logger, "on_delta", [&] { hooks.on_delta(outcome.value().content); });
  if (hooks.on_attempt) {
    Attempt attempt;
    attempt.number = outcome ? outcome.value().attempts : 1;
    if (outcome) {
      attempt.http_status = 200;
      attempt.elapsed = outcome.value().latency;
    } else {
      attempt.error = outcome.error();
      const json::Value* status = outcome.error().details.find("http_status");
      attempt.http_status =
          status != nullptr && status->is_integer() ? static_cast<int>(*status->if_integer()) : 0;
    }
    notify(logger, "on_attempt", [&] { hooks.on_attempt(attempt); });
  }
  co_return outcome;
}

}  // namespace opsgraph::llm
