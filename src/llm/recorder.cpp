// Recorder: the wrapped provider's outcome, appended to a cassette as one line per call.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <opsgraph/llm/cassette.hpp>
#include <opsgraph/llm/recorder.hpp>
#include <string>
#include <utility>

#include "llm/cassette_lines.hpp"

namespace opsgraph::llm {

namespace {

Error open_error(const std::filesystem::path& path, int error_number) {
  const errc code = error_number == ENOENT                            ? errc::not_found
                    : error_number == EACCES || error_number == EPERM ? errc::permission_denied
                                                                      : errc::storage;
  return make_error(code, "cannot open cassette " + path.string() +
                              " for appending: " + std::strerror(error_number));
}

}  // namespace

/// The cassette file: one line appended at a time, under a mutex.
struct Recorder::File {
  std::filesystem::path path;
  std::FILE* stream = nullptr;
  std::mutex mutex;

  ~File() {
    if (stream != nullptr)
      std::fclose(stream);
  }

  result<void> append(std::string line) {
    line += '\n';
    const std::lock_guard lock(mutex);
    if (std::fwrite(line.data(), 1, line.size(), stream) != line.size() ||
        std::fflush(stream) != 0) {
      return fail(errc::storage,
                  "cannot append to cassette " + path.string() + ": " + std::strerror(errno));
    }
    return ok();
  }
};

result<std::unique_ptr<Recorder>> Recorder::open(Provider& inner,
                                                 const std::filesystem::path& path) {
  // A non-owning shared_ptr: the caller keeps `inner` alive.
  return open(std::shared_ptr<Provider>(std::shared_ptr<Provider>(), &inner), path);
}

result<std::unique_ptr<Recorder>> Recorder::open(std::shared_ptr<Provider> inner,
                                                 const std::filesystem::path& path) {
  if (inner == nullptr)
    return fail(errc::invalid_argument, "Recorder needs a provider to record");
  auto file = std::make_unique<File>();
  file->path = path;
  file->stream = std::fopen(path.c_str(), "ab");
  if (file->stream == nullptr)
    return fail(open_error(path, errno));
  return std::unique_ptr<Recorder>(new Recorder(std::move(inner), std::move(file)));
}

Recorder::Recorder(std::shared_ptr<Provider> inner, std::unique_ptr<File> file) noexcept
    : inner_(std::move(inner)), file_(std::move(file)) {}

Recorder::~Recorder() = default;

Task<result<ChatResponse>> Recorder::do_chat(ChatRequest request, CallHooks hooks) {
  // Taken before the request moves on: the normal form is what the line records.
  json::Value normal_form = cassette_request(request);
  result<ChatResponse> outcome = co_await inner_->chat(std::move(request), std::move(hooks));
  result<void> written = file_->append(format_cassette_line(normal_form, outcome));
  if (!written)
    co_return fail(std::move(written).error());
  co_return std::move(outcome);
}

}  // namespace opsgraph::llm
