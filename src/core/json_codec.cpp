// The non-template half of the typed codecs: decode error texts and their paths, timestamps, the
// per-thread Writer behind json::encode, and the ValueBuilder behind json::to_value.

#include <charconv>
#include <cmath>
#include <limits>
#include <opsgraph/core/json_builder.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <string>
#include <string_view>
#include <utility>

namespace opsgraph::json::detail {
namespace {

constexpr std::string_view kPathKey = "path";
constexpr std::size_t kQuoteLimit = 64;  // bytes of user text echoed in a message

// Member names that read unambiguously after a dot; others are written as ["quoted"].
bool is_plain_name(std::string_view name) noexcept {
  if (name.empty())
    return false;
  for (const char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '$';
    if (!plain)
      return false;
  }
  return true;
}

// `text` as a JSON string literal for a message, cut (on a character boundary) when long.
std::string quote(std::string_view text) {
  bool cut = false;
  if (text.size() > kQuoteLimit) {
    std::size_t end = kQuoteLimit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    text = text.substr(0, end);
    cut = true;
  }
  Writer writer(text.size() + 8);
  writer.string(text);
  std::string quoted = writer.take();
  if (cut)
    quoted.insert(quoted.size() - 1, "...");
  return quoted;
}

std::string format_number(const Number& n) {
  char buffer[32];
  const auto [end, ec] =
      std::visit([&](auto v) { return std::to_chars(buffer, buffer + sizeof buffer, v); }, n);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

std::string path_of(const Error& error) {
  if (const Value* path = error.details.find(kPathKey)) {
    if (const std::string* text = path->if_string())
      return *text;
  }
  return {};
}

// Rewrites the path of `error` to `segment` followed by its current path, and its message to
// "<new path>: <what>".
void prepend(Error& error, const std::string& segment) {
  const std::string old_path = path_of(error);
  std::string path = segment;
  if (!old_path.empty()) {
    if (old_path.front() != '[')
      path += '.';
    path += old_path;
  }
  std::string_view what = error.message;
  if (!old_path.empty() && what.starts_with(old_path) &&
      what.substr(old_path.size()).starts_with(": ")) {
    what.remove_prefix(old_path.size() + 2);
  }
  error.message = path + ": " + std::string(what);
  if (!error.details.is_null() && !error.details.is_object()) {
    error.details = Value(Object{{"cause", std::move(error.details)}});
  }
  error.details.set(kPathKey, Value(std::move(path)));
}

// Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "[" + std::string&&.
std::string bracketed(std::string_view inner) {
  std::string segment;
  segment.reserve(inner.size() + 2);
  segment += '[';
  segment += inner;
  segment += ']';
  return segment;
}

}  // namespace

void prefix_key(Error& error, std::string_view key) {
  prepend(error, is_plain_name(key) ? std::string(key) : bracketed(quote(key)));
}

void prefix_index(Error& error, std::size_t index) {
  prepend(error, bracketed(std::to_string(index)));
}

Error decode_error(std::string_view what) {
  return make_error(errc::invalid_argument, std::string(what),
                    Value(Object{{std::string(kPathKey), Value("")}}));
}

Error type_error(std::string_view expected, Kind got) {
  std::string what = "expected ";
  what += expected;
  what += ", got ";
  what += kind_name(got);
  return decode_error(what);
}

Error missing_field_error(std::string_view name) {
  Error error = decode_error("missing required field");
  prefix_key(error, name);
  return error;
}

Error not_an_integer_error(double d) {
  return decode_error("expected integer, got " + format_number(Number(d)));
}

Error out_of_range_error(const Number& n, std::int64_t min, std::uint64_t max) {
  return decode_error(format_number(n) + " is out of range [" + std::to_string(min) + ", " +
                      std::to_string(max) + "]");
}

Error unknown_name_error(std::string_view text, std::string_view expected) {
  std::string what = "unknown value " + quote(text) + " (expected one of: ";
  what += expected;
  what += ")";
  return decode_error(what);
}

result<TimePoint> read_timestamp(std::string_view text) {
  result<TimePoint> time = parse_timestamp(text);
  if (!time)
    return fail(decode_error("expected an RFC 3339 timestamp, got " + quote(text)));
  return time;
}

Value reparse(std::string_view text) {
  Limits limits;
  limits.max_bytes = text.size();
  limits.max_depth = 1024;
  result<Value> value = parse(text, limits);
  return value ? std::move(value).value() : Value();
}

namespace {

// One Writer per thread for json::encode; a Writer that grew past kKeepBytes is dropped after use
// so one huge document does not pin its buffer for the thread's lifetime.
constexpr std::size_t kInitialBytes = 4096;
constexpr std::size_t kKeepBytes = std::size_t{1} << 20;

struct ScratchSlot {
  Writer writer{kInitialBytes};
  bool busy = false;
};

thread_local ScratchSlot tls_scratch;

}  // namespace

ScratchWriter::ScratchWriter() {
  if (!tls_scratch.busy) {
    tls_scratch.busy = true;
    tls_scratch.writer.clear();
    writer_ = &tls_scratch.writer;
    owned_ = false;
  } else {
    writer_ = new Writer(kInitialBytes);
    owned_ = true;
  }
}

ScratchWriter::~ScratchWriter() {
  if (owned_) {
    delete writer_;
    return;
  }
  if (writer_->capacity() > kKeepBytes) {
    try {
      *writer_ = Writer(kInitialBytes);
    } catch (...) {  // out of memory: keeping the large buffer is harmless
      writer_->clear();
    }
  }
  tls_scratch.busy = false;
}

}  // namespace opsgraph::json::detail

namespace opsgraph::json {

// Values are constructed in place in their container (moving a freshly made Value instead trips
// g++ 12's -Wmaybe-uninitialized on std::variant at -O2 and above).
template <class... Args>
ValueBuilder& ValueBuilder::emit(Args&&... args) {
  if (stack_.empty()) {
    root_ = Value(std::forward<Args>(args)...);
  } else if (Array* array = stack_.back().if_array()) {
    array->emplace_back(std::forward<Args>(args)...);
  } else {
    stack_.back().if_object()->emplace_back(std::piecewise_construct,
                                            std::forward_as_tuple(std::move(keys_.back())),
                                            std::forward_as_tuple(std::forward<Args>(args)...));
    keys_.pop_back();
  }
  return *this;
}

ValueBuilder& ValueBuilder::begin_object() {
  stack_.emplace_back(Object{});
  return *this;
}

ValueBuilder& ValueBuilder::begin_array() {
  stack_.emplace_back(Array{});
  return *this;
}

ValueBuilder& ValueBuilder::end_object() {
  Value done = std::move(stack_.back());
  stack_.pop_back();
  return emit(std::move(done));
}

ValueBuilder& ValueBuilder::end_array() {
  return end_object();
}

ValueBuilder& ValueBuilder::key(std::string_view name) {
  keys_.emplace_back(name);
  return *this;
}

ValueBuilder& ValueBuilder::string(std::string_view text) {
  return emit(text);
}

ValueBuilder& ValueBuilder::integer(std::int64_t n) {
  return emit(n);
}

ValueBuilder& ValueBuilder::unsigned_integer(std::uint64_t n) {
  if (n <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return emit(static_cast<std::int64_t>(n));
  }
  return emit(static_cast<double>(n));
}

ValueBuilder& ValueBuilder::number(double d) {
  if (std::isfinite(d))
    return emit(d);
  return emit(nullptr);
}

ValueBuilder& ValueBuilder::boolean(bool b) {
  return emit(b);
}

ValueBuilder& ValueBuilder::null() {
  return emit(nullptr);
}

ValueBuilder& ValueBuilder::value(const Value& v) {
  return emit(v);
}

Value ValueBuilder::take() {
  stack_.clear();
  keys_.clear();
  return std::exchange(root_, Value());
}

}  // namespace opsgraph::json
