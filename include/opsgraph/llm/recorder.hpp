#pragma once
// opsgraph::llm::Recorder — a Provider that passes every call to another provider and appends
// the request and its outcome (answer or error) to a cassette file, for llm::Replay to answer
// from later. Use it once against a real model; commit the cassette; replay it in tests.
//
//   OPSGRAPH_TRY(auto recorder, llm::Recorder::open(openai, "tests/cassettes/diagnose.jsonl"));
//   auto answer = co_await recorder->chat(request);  // the model's answer, now also on file
//
// Thread-safety: calls may run in parallel; each appends one whole line, in the order the calls
// finish. The wrapped provider must outlive the Recorder when passed by reference.

#include <filesystem>
#include <memory>
#include <opsgraph/core/result.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/llm/provider.hpp>
#include <string_view>

namespace opsgraph::llm {

/// Records every call to a wrapped provider in a cassette (<opsgraph/llm/cassette.hpp>).
class OPSGRAPH_API Recorder final : public Provider {
 public:
  /// Opens `path` for appending (creating it, not its folder). errc::not_found or
  /// errc::permission_denied naming the path when it cannot be opened. `inner` is borrowed.
  static result<std::unique_ptr<Recorder>> open(Provider& inner, const std::filesystem::path& path);
  /// The same, sharing ownership of `inner` (which must not be null).
  static result<std::unique_ptr<Recorder>> open(std::shared_ptr<Provider> inner,
                                                const std::filesystem::path& path);

  ~Recorder() override;
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  std::string_view name() const noexcept override { return "recorder"; }

 private:
  struct File;
  Recorder(std::shared_ptr<Provider> inner, std::unique_ptr<File> file) noexcept;

  /// The inner provider's outcome, unchanged, once its line is on file; a line that cannot be
  /// written fails the call with errc::storage (a recording with holes would replay wrongly).
  Task<result<ChatResponse>> do_chat(ChatRequest request, CallHooks hooks) override;

  std::shared_ptr<Provider> inner_;
  std::unique_ptr<File> file_;
};

}  // namespace opsgraph::llm
