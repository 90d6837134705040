// JSON text in: json::Reader over simdjson ondemand, and json::parse on top of it.

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_reader.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/json_ondemand.hpp"

namespace opsgraph::json {

using namespace ondemand_detail;  // NOLINT(google-build-using-namespace): this file's vocabulary

namespace {

// Reading recurses once per level of nesting; this bounds the stack a parse can use whatever
// Limits::max_depth asks for (under 2 MB even in sanitizer builds).
constexpr std::size_t kDepthCeiling = 1024;
// simdjson keeps its own depth bound; it is set past ours so that ours, which names a path,
// fires first.
constexpr std::size_t kDepthSlack = 2;
// A per-thread parser that grew past this is dropped after use rather than kept.
constexpr std::size_t kKeepBytes = std::size_t{1} << 20;

// Member names seen in one object, to reject duplicates. Names point into simdjson's string
// buffer, which lives as long as the parse. Small objects are checked in place with no allocation;
// large ones through a hash set.
class NameSet {
 public:
  bool insert(std::string_view name) {
    if (hashed_)
      return hashed_->insert(name).second;
    const auto end = small_.begin() + static_cast<std::ptrdiff_t>(count_);
    if (std::find(small_.begin(), end, name) != end)
      return false;
    if (count_ < kSmall) {
      small_[count_++] = name;
    } else {
      hashed_ = std::make_unique<std::unordered_set<std::string_view>>(small_.begin(), end);
      hashed_->insert(name);
    }
    return true;
  }

 private:
  static constexpr std::size_t kSmall = 16;
  std::array<std::string_view, kSmall> small_;
  std::size_t count_ = 0;
  std::unique_ptr<std::unordered_set<std::string_view>> hashed_;
};

// The walk below recurses as deep as the input nests, so its frames are kept small: scalars and
// failures are handled in functions of their own, out of the recursive path.

[[gnu::noinline]] result<Value> syntax_failure(Session& session, simdjson::error_code code) {
  return fail(syntax_error(session, code));
}

[[gnu::noinline]] result<Value> depth_failure(Session& session) {
  return fail(depth_error(session));
}

[[gnu::noinline]] result<Value> duplicate_failure(std::string_view name) {
  Error error = detail::decode_error("duplicate member name");
  detail::prefix_key(error, name);
  return fail(std::move(error));
}

[[gnu::noinline]] result<Value> member_failure(result<Value>&& failed, std::string_view name) {
  Error error = std::move(failed).error();
  detail::prefix_key(error, name);
  return fail(std::move(error));
}

[[gnu::noinline]] result<Value> element_failure(result<Value>&& failed, std::size_t index) {
  Error error = std::move(failed).error();
  detail::prefix_index(error, index);
  return fail(std::move(error));
}

template <bool kKeep>
[[gnu::noinline]] result<Value> walk_scalar(Session& session, od::value& v, od::json_type type) {
  switch (type) {
    case od::json_type::string: {
      OPSGRAPH_TRY(std::string_view text, read_string_of(session, v));
      return kKeep ? Value(text) : Value();
    }
    case od::json_type::number: {
      OPSGRAPH_TRY(Number n, read_number_of(session, v, "number"));
      if (const auto* i = std::get_if<std::int64_t>(&n))
        return Value(*i);
      if (const auto* u = std::get_if<std::uint64_t>(&n))
        return Value(static_cast<double>(*u));
      return Value(std::get<double>(n));
    }
    case od::json_type::boolean: {
      bool b = false;
      if (auto code = v.get_bool().get(b))
        return syntax_failure(session, code);
      return Value(b);
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto code = v.is_null().get(is_null))
        return syntax_failure(session, code);
      if (!is_null)
        return syntax_failure(session, simdjson::N_ATOM_ERROR);
      return Value();
    }
    default:
      return syntax_failure(session, simdjson::TAPE_ERROR);
  }
}

// Materialises (kKeep) or validates and drops (!kKeep) the value at `v`, `depth` containers deep.
template <bool kKeep>
result<Value> walk(Session& session, od::value& v, std::size_t depth);

template <bool kKeep>
result<Value> walk_object(Session& session, od::value& v, std::size_t depth) {
  if (depth > session.max_depth)
    return depth_failure(session);
  od::object object;
  if (auto code = v.get_object().get(object))
    return syntax_failure(session, code);
  // Members gather on the parse's scratch stack, so the Object is allocated once at its size.
  auto& stack = session.scratch->members;
  const std::size_t base = stack.size();
  NameSet names;
  for (auto field : object) {
    std::string_view name;
    if (auto code = field.unescaped_key().get(name))
      return syntax_failure(session, code);
    if (!names.insert(name))
      return duplicate_failure(name);
    od::value child;
    if (auto code = field.value().get(child))
      return syntax_failure(session, code);
    result<Value> member = walk<kKeep>(session, child, depth);
    if (!member)
      return member_failure(std::move(member), name);
    if constexpr (kKeep)
      stack.emplace_back(std::string(name), std::move(member).value());
  }
  const auto first = stack.begin() + static_cast<std::ptrdiff_t>(base);
  Object members(std::make_move_iterator(first), std::make_move_iterator(stack.end()));
  stack.erase(first, stack.end());
  return Value(std::move(members));
}

template <bool kKeep>
result<Value> walk_array(Session& session, od::value& v, std::size_t depth) {
  if (depth > session.max_depth)
    return depth_failure(session);
  od::array array;
  if (auto code = v.get_array().get(array))
    return syntax_failure(session, code);
  auto& stack = session.scratch->elements;
  const std::size_t base = stack.size();
  std::size_t index = 0;
  for (auto item : array) {
    od::value child;
    if (auto code = item.get(child))
      return syntax_failure(session, code);
    result<Value> element = walk<kKeep>(session, child, depth);
    if (!element)
      return element_failure(std::move(element), index);
    if constexpr (kKeep)
      stack.push_back(std::move(element).value());
    ++index;
  }
  const auto first = stack.begin() + static_cast<std::ptrdiff_t>(base);
  Array elements(std::make_move_iterator(first), std::make_move_iterator(stack.end()));
  stack.erase(first, stack.end());
  return Value(std::move(elements));
}

template <bool kKeep>
result<Value> walk(Session& session, od::value& v, std::size_t depth) {
  od::json_type type{};
  if (auto code = v.type().get(type))
    return syntax_failure(session, code);
  if (type == od::json_type::object)
    return walk_object<kKeep>(session, v, depth + 1);
  if (type == od::json_type::array)
    return walk_array<kKeep>(session, v, depth + 1);
  return walk_scalar<kKeep>(session, v, type);
}

// A simdjson parser, the padded copy of the text it reads and the walk's scratch stacks, kept per
// thread between parses.
struct ParserSlot {
  od::parser parser;
  std::string buffer;
  Scratch scratch;
  bool busy = false;
};

thread_local ParserSlot tls_parser;

// The thread's parser, or a private one while the thread's is in use (a codec that parses
// inside a decode).
class ParserLease {
 public:
  ParserLease() {
    if (!tls_parser.busy) {
      tls_parser.busy = true;
      slot_ = &tls_parser;
    } else {
      owned_ = std::make_unique<ParserSlot>();
      slot_ = owned_.get();
    }
  }
  ~ParserLease() {
    if (owned_)
      return;
    if (slot_->buffer.capacity() > kKeepBytes)
      *slot_ = ParserSlot();
    slot_->busy = false;
  }
  ParserLease(const ParserLease&) = delete;
  ParserLease& operator=(const ParserLease&) = delete;

  ParserSlot& operator*() noexcept { return *slot_; }

 private:
  ParserSlot* slot_ = nullptr;
  std::unique_ptr<ParserSlot> owned_;
};

}  // namespace

// A Reader's position: the value it reads and how many containers enclose it.
struct Reader::Node {
  Session* session;
  od::value value;
  std::size_t depth;
};

struct detail::ReaderAccess {
  static Reader make(Reader::Node& node) noexcept { return Reader(node); }
  using Node = Reader::Node;
};

result<Kind> Reader::kind() {
  Session& session = *node_->session;
  OPSGRAPH_TRY(od::json_type type, type_of(session, node_->value));
  if (type != od::json_type::number)
    return to_kind(type);
  od::number_type number{};
  if (auto code = node_->value.get_number_type().get(number)) {
    return fail(syntax_error(session, code));
  }
  return number == od::number_type::signed_integer ? Kind::integer : Kind::number;
}

result<void> Reader::read_null() {
  Session& session = *node_->session;
  OPSGRAPH_TRY(expect(session, node_->value, od::json_type::null, "null"));
  bool is_null = false;
  if (auto code = node_->value.is_null().get(is_null))
    return fail(syntax_error(session, code));
  if (!is_null)
    return fail(syntax_error(session, simdjson::N_ATOM_ERROR));
  return ok();
}

result<bool> Reader::read_bool() {
  Session& session = *node_->session;
  OPSGRAPH_TRY(expect(session, node_->value, od::json_type::boolean, "boolean"));
  bool b = false;
  if (auto code = node_->value.get_bool().get(b))
    return fail(syntax_error(session, code));
  return b;
}

result<Number> Reader::read_number(std::string_view expected) {
  return read_number_of(*node_->session, node_->value, expected);
}

result<std::string_view> Reader::read_string() {
  return read_string_of(*node_->session, node_->value);
}

result<Value> Reader::read_value() {
  return walk<true>(*node_->session, node_->value, node_->depth);
}

result<void> Reader::skip() {
  OPSGRAPH_TRY(walk<false>(*node_->session, node_->value, node_->depth));
  return ok();
}

result<void> Reader::visit_object(detail::MemberFn on_member) {
  Session& session = *node_->session;
  OPSGRAPH_TRY(expect(session, node_->value, od::json_type::object, "object"));
  if (node_->depth + 1 > session.max_depth)
    return fail(depth_error(session));
  od::object object;
  if (auto code = node_->value.get_object().get(object))
    return fail(syntax_error(session, code));
  Node child{&session, {}, node_->depth + 1};
  for (auto field : object) {
    std::string_view name;
    if (auto code = field.unescaped_key().get(name))
      return fail(syntax_error(session, code));
    result<void> done = [&]() -> result<void> {
      if (auto code = field.value().get(child.value))
        return fail(syntax_error(session, code));
      Reader member(child);
      return on_member(name, member);
    }();
    if (!done) {
      Error error = std::move(done).error();
      detail::prefix_key(error, name);
      return fail(std::move(error));
    }
  }
  return ok();
}

result<void> Reader::visit_array(detail::ElementFn on_element) {
  Session& session = *node_->session;
  OPSGRAPH_TRY(expect(session, node_->value, od::json_type::array, "array"));
  if (node_->depth + 1 > session.max_depth)
    return fail(depth_error(session));
  od::array array;
  if (auto code = node_->value.get_array().get(array))
    return fail(syntax_error(session, code));
  Node child{&session, {}, node_->depth + 1};
  std::size_t index = 0;
  for (auto item : array) {
    result<void> done = [&]() -> result<void> {
      if (auto code = item.get(child.value))
        return fail(syntax_error(session, code));
      Reader element(child);
      return on_element(index, element);
    }();
    if (!done) {
      Error error = std::move(done).error();
      detail::prefix_index(error, index);
      return fail(std::move(error));
    }
    ++index;
  }
  return ok();
}

namespace {

using Node = detail::ReaderAccess::Node;

// simdjson reads a scalar at the root through separate, stricter paths than anywhere else (a
// root number must fit a small copy buffer, and is not consumed when its fast path fails). The
// text is therefore read as `[text]`: the root becomes an ordinary first element, every value is
// read the same way, and well-formed text is exactly one element with nothing after it.
result<void> read_wrapped(ParserSlot& slot, std::string_view text, const Limits& limits,
                          detail::RootFn on_root) {
  const std::size_t wrapped = text.size() + 2;
  slot.buffer.resize(wrapped + simdjson::SIMDJSON_PADDING);
  slot.buffer.front() = '[';
  std::copy(text.begin(), text.end(), slot.buffer.begin() + 1);
  std::fill(slot.buffer.begin() + static_cast<std::ptrdiff_t>(wrapped - 1), slot.buffer.end(), ' ');
  slot.buffer[wrapped - 1] = ']';

  const std::size_t max_depth = std::min(limits.max_depth, kDepthCeiling);
  const std::size_t parser_depth = max_depth + kDepthSlack;
  if (slot.parser.max_depth() != parser_depth || slot.parser.capacity() < wrapped) {
    const std::size_t capacity = std::max(slot.parser.capacity(), wrapped);
    if (auto code = slot.parser.allocate(capacity, parser_depth)) {
      return fail(errc::internal, std::string("JSON parser: ") + simdjson::error_message(code));
    }
  }

  slot.scratch.members.clear();
  slot.scratch.elements.clear();
  Session session;
  session.scratch = &slot.scratch;
  session.begin = slot.buffer.data() + 1;
  session.length = text.size();
  session.max_depth = max_depth;
  if (auto code =
          slot.parser.iterate(slot.buffer.data(), wrapped, slot.buffer.size()).get(session.doc)) {
    return fail(stage1_error(text, code));
  }
  od::array wrapper;
  if (auto code = session.doc.get_array().get(wrapper))
    return fail(syntax_error(session, code));
  od::array_iterator first;
  od::array_iterator end;
  if (auto code = wrapper.begin().get(first))
    return fail(syntax_error(session, code));
  if (auto code = wrapper.end().get(end))
    return fail(syntax_error(session, code));
  if (first == end)
    return fail(stage1_error(text, simdjson::EMPTY));

  Node root{&session, {}, 0};
  if (auto code = (*first).get(root.value))
    return fail(syntax_error(session, code));
  Reader reader = detail::ReaderAccess::make(root);
  OPSGRAPH_TRY(on_root(reader));
  // The next token must be the closing bracket added above: one before it is trailing content,
  // none at all means the root value took that bracket to close an array the text left open.
  const char* next = nullptr;
  const char* bracket = session.begin + text.size();
  if (session.doc.current_location().get(next) != simdjson::SUCCESS || next > bracket) {
    return fail(syntax_error(session, simdjson::INCOMPLETE_ARRAY_OR_OBJECT));
  }
  if (next < bracket)
    return fail(syntax_error(session, simdjson::TRAILING_CONTENT));
  return ok();
}

}  // namespace

result<void> detail::read_text(std::string_view text, const Limits& limits, RootFn on_root) {
  if (text.size() > limits.max_bytes) {
    return fail(errc::payload_too_large,
                "JSON text of " + std::to_string(text.size()) + " bytes is over the limit of " +
                    std::to_string(limits.max_bytes) + " bytes",
                Value(Object{{"size", Value(text.size())}, {"limit", Value(limits.max_bytes)}}));
  }
  try {
    ParserLease lease;
    return read_wrapped(*lease, text, limits, on_root);
  } catch (...) {
    return fail(error_from_current_exception("JSON decode"));
  }
}

result<Value> parse(std::string_view text, const Limits& limits) {
  Value out;
  OPSGRAPH_TRY(detail::read_text(text, limits, [&out](Reader& root) -> result<void> {
    OPSGRAPH_TRY(Value value, root.read_value());
    out = std::move(value);
    return ok();
  }));
  return out;
}

}  // namespace opsgraph::json
