// JsonScanner as a completion_rules.hpp Value: the scanner is a cursor, so a member or element
// is read from the same scanner, right where it stands. A chunk may resume where the previous
// chunk's identical bytes left the scanner: the root's opening and its members before "choices".
// That is exact because the scanner's and the rules' decisions on those bytes depend on nothing
// after them (every token there ends before the "choices" name), and what they leave is the
// position, one level of nesting, the members seen and the fields read, all of which are kept.

#include "llm/wire_scan_path.hpp"

#include <cstdint>
#include <functional>
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

// Where `field` starts within `text`, nullopt for a null field; false when it lies elsewhere.
bool offset_in(std::string_view text, std::string_view field, std::optional<std::size_t>& at) {
  if (field.data() == nullptr) {
    at.reset();
    return true;
  }
  const std::less_equal<const char*> not_after;
  if (!not_after(text.data(), field.data()) ||
      !not_after(field.data() + field.size(), text.data() + text.size()))
    return false;
  at = static_cast<std::size_t>(field.data() - text.data());
  return true;
}

std::string_view field_at(std::string_view text, const std::optional<std::size_t>& at,
                          std::size_t size) {
  return at ? text.substr(*at, size) : std::string_view();
}

}  // namespace

bool ScanReader::read(std::string_view text, Shape shape, CompletionView& out) {
  if (text.size() > kMaxBytes)
    return false;
  JsonScanner json(text, unescaped_.get());
  ScannedValue root(json);
  const bool read =
      shape == Shape::chunk ? read_chunk(json, text, out) : read_completion(root, shape, out);
  if (!read || !json.at_end()) {
    out = CompletionView{};
    return false;
  }
  return true;
}

bool ScanReader::read_chunk(JsonScanner& json, std::string_view text, CompletionView& out) {
  const bool resumed = !prefix_.bytes.empty() && text.starts_with(prefix_.bytes);
  rules::Seen seen;
  SharedPrefix next;
  bool have_next = false;
  ScannedValue member(json);
  const auto on_member = [&](std::string_view name) {
    if (!resumed && rules::is(name, "choices"))
      have_next = take_prefix(text, name, seen, out, next);
    return rules::read_root_member(name, member, Shape::chunk, out, seen);
  };
  bool read = false;
  if (resumed) {
    seen = prefix_.seen;
    out.id = field_at(text, prefix_.id_at, prefix_.id_size);
    out.model = field_at(text, prefix_.model_at, prefix_.model_size);
    out.usage = prefix_.usage;
    read = json.each_member_from(prefix_.bytes.size(), on_member);
  } else {
    read = json.each_member(on_member);
  }
  // Only a chunk read whole leaves a prefix: its bytes are then known to be well-formed.
  if (read && have_next && json.at_end())
    prefix_ = std::move(next);
  return read;
}

bool ScanReader::take_prefix(std::string_view text, std::string_view name, const rules::Seen& seen,
                             const CompletionView& out, SharedPrefix& prefix) {
  const std::string_view bytes =
      text.substr(0, static_cast<std::size_t>(name.data() - 1 - text.data()));
  // After '{' a chunk may close the object at once; only after ',' must a member name follow, so
  // only there does a resumed read face the same grammar as a whole one.
  const std::size_t last = bytes.find_last_not_of(" \t\r\n");
  if (last == std::string_view::npos || bytes[last] != ',')
    return false;
  if (!offset_in(bytes, out.id, prefix.id_at) || !offset_in(bytes, out.model, prefix.model_at))
    return false;
  prefix.bytes.assign(bytes);
  prefix.seen = seen;
  prefix.id_size = out.id.size();
  prefix.model_size = out.model.size();
  prefix.usage = out.usage;
  return true;
}

}  // namespace opsgraph::llm::wire
