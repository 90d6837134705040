// JsonScanner as a completion_rules.hpp Value: the scanner is a cursor, so a member or element
// is read from the same scanner, right where it stands.

#include "llm/wire_scan_path.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

#include "llm/completion_rules.hpp"
#include "llm/json_scanner.hpp"

namespace opsgraph::llm::wire {

namespace {

class ScannedValue {
 public:
  explicit ScannedValue(JsonScanner& json) noexcept : json_(json) {}

  template <class F>
  bool each_member(F&& on_member) {
    return json_.each_member([&](std::string_view name) { return on_member(name, *this); });
  }

  template <class F>
  bool each_element(F&& on_element) {
    return json_.each_element([&] { return on_element(*this); });
  }

  bool nullable_string(std::optional<std::string_view>& out, Text) {
    return json_.nullable_string(out);
  }

  bool integer(std::int64_t& out) { return json_.count(out); }

  bool null_next() { return json_.next_is('n'); }

  bool skip() { return json_.skip_value(); }

 private:
  JsonScanner& json_;
};

}  // namespace

bool ScanReader::read(std::string_view text, Shape shape, CompletionView& out) {
  if (text.size() > kMaxBytes)
    return false;
  JsonScanner json(text, unescaped_.get());
  ScannedValue root(json);
  const bool read = read_completion(root, shape, out) && json.at_end();
  if (!read)
    out = CompletionView{};
  return read;
}

}  // namespace opsgraph::llm::wire
