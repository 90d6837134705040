#pragma once
// opsgraph::llm::Replay — a Provider that answers from a cassette recorded by llm::Recorder, so
// tests of a workflow that calls a model run offline and give the same answers every time:
//
//   OPSGRAPH_TRY(auto model, llm::Replay::open("tests/cassettes/diagnose.jsonl"));
//   auto answer = co_await model->chat(request);  // the recorded answer, or the recorded error
//
// A request is matched by its cassette key (<opsgraph/llm/cassette.hpp>): metadata, timeout and
// streaming do not matter. When one request was recorded several times, the recordings answer
// in the order they were recorded, and once they are used up the last one answers every further
// call (so a test that retries one more time than the recording did still gets an answer). A
// request that was never recorded fails with errc::not_found naming the closest recorded request
// and where it differs.
//
// Thread-safety: calls may run in parallel; the cursor of each request advances atomically.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <opsgraph/core/log.hpp>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/provider.hpp>
#include <string>
#include <string_view>

namespace opsgraph::llm {

/// How a Replay reports what it cannot return as a result.
struct ReplayOptions {
  /// Where an exception thrown by a CallHooks observer is logged (it is swallowed).
  Logger logger = Logger();
};

/// Answers chat calls from a cassette.
class OPSGRAPH_API Replay final : public Provider {
 public:
  /// Loads the cassette at `path`. errc::not_found when it does not exist; errc::invalid_argument
  /// naming the file and line of a malformed line ("cassettes/a.jsonl:3: response: ...").
  static result<std::unique_ptr<Replay>> open(const std::filesystem::path& path,
                                              ReplayOptions options = {});
  /// The same from cassette text already in memory; `source` names it in errors.
  static result<std::unique_ptr<Replay>> from_text(std::string_view text,
                                                   std::string_view source = "cassette",
                                                   ReplayOptions options = {});

  ~Replay() override;
  Replay(const Replay&) = delete;
  Replay& operator=(const Replay&) = delete;

  std::string_view name() const noexcept override { return "replay"; }

  /// How many calls the cassette recorded.
  std::size_t size() const noexcept;

 private:
  struct Tape;
  explicit Replay(std::unique_ptr<Tape> tape) noexcept;

  /// The next recording for the request. For a streaming request, on_delta receives the whole
  /// content at once; on_attempt hears of one attempt with the recorded outcome.
  Task<result<ChatResponse>> do_chat(ChatRequest request, CallHooks hooks) override;

  std::unique_ptr<Tape> tape_;
};

}  // namespace opsgraph::llm
