#include "graph/snapshot.hpp"

#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_writer.hpp>

namespace opsgraph::graph::detail {
namespace {

void write_strings(json::Writer& w, const std::vector<std::string>& list) {
  w.begin_array();
  for (auto& item : list)
    w.string(item);
  w.end_array();
}

void write_error(json::Writer& w, const Error& e) {
  w.begin_object();
  w.key("code").string(to_string(e.code));
  w.key("message").string(e.message);
  w.key("retryable").boolean(e.retryable);
  if (!e.details.is_null())
    w.key("details").value(e.details);
  w.end_object();
}

// Reading is strict: a checkpoint that does not have the shape written here is corrupt, and the
// error names the member so that the damage can be found.
class Reader {
 public:
  explicit Reader(const json::Value& root) : root_(root) {}

  result<const json::Value*> member(std::string_view name, json::Kind kind,
                                    bool optional = false) const {
    const json::Value* v = root_.find(name);
    if (v == nullptr || v->is_null()) {
      if (optional)
        return static_cast<const json::Value*>(nullptr);
      return corrupt(name, "missing");
    }
    if (v->kind() != kind && !(kind == json::Kind::number && v->is_number())) {
      return corrupt(name, "wrong type");
    }
    return v;
  }

  result<std::string> string(std::string_view name) const {
    OPSGRAPH_TRY(auto v, member(name, json::Kind::string));
    return *v->if_string();
  }

  result<std::uint64_t> count(std::string_view name) const {
    OPSGRAPH_TRY(auto v, member(name, json::Kind::integer));
    if (*v->if_integer() < 0)
      return corrupt(name, "negative");
    return static_cast<std::uint64_t>(*v->if_integer());
  }

  result<std::vector<std::string>> strings(std::string_view name) const {
    OPSGRAPH_TRY(auto v, member(name, json::Kind::array));
    return to_strings(*v, name);
  }

  static result<std::vector<std::string>> to_strings(const json::Value& v, std::string_view name) {
    std::vector<std::string> out;
    for (auto& item : *v.if_array()) {
      if (!item.is_string())
        return corrupt(name, "expected strings");
      out.push_back(*item.if_string());
    }
    return out;
  }

  static Error corrupt(std::string_view name, std::string_view what) {
    return make_error(errc::storage,
                      "checkpoint is corrupt: " + std::string(name) + ": " + std::string(what));
  }

 private:
  const json::Value& root_;
};

// result<Error> cannot exist (value and error of one type): the error is read into `e`.
result<void> read_error(const json::Value& v, Error& e) {
  Reader r(v);
  OPSGRAPH_TRY(auto code_name, r.string("code"));
  OPSGRAPH_TRY(auto message, r.string("message"));
  e = make_error(errc::internal, std::move(message));
  for (int i = kErrcFirst; i <= kErrcLast; ++i) {
    if (to_string(static_cast<errc>(i)) == code_name)
      e.code = static_cast<errc>(i);
  }
  if (auto* retryable = v.find("retryable"); retryable && retryable->if_bool()) {
    e.retryable = *retryable->if_bool();
  }
  if (auto* details = v.find("details"))
    e.details = *details;
  return ok();
}

}  // namespace

std::string encode_snapshot(const Snapshot& s, std::string_view state_json) {
  // Written straight to text: this runs after every step of every run.
  json::Writer w;
  w.begin_object();
  w.key("format").integer(Snapshot::kFormat);
  w.key("graph").string(s.graph);
  w.key("status").string(s.status);
  w.key("steps").unsigned_integer(s.steps);
  w.key("step_limit").unsigned_integer(s.step_limit);
  w.key("pending");
  write_strings(w, s.pending);
  w.key("done");
  write_strings(w, s.done);
  w.key("joins").begin_array();
  for (auto& arrived : s.joins)
    write_strings(w, arrived);
  w.end_array();
  w.key("attempts").begin_object();
  for (auto& [node, n] : s.attempts)
    w.key(node).integer(n);
  w.end_object();
  w.key("interrupts").begin_array();
  for (auto& i : s.interrupts) {
    w.begin_object().key("node").string(i.node).key("payload").value(i.payload).end_object();
  }
  w.end_array();
  if (s.error) {
    w.key("error");
    write_error(w, *s.error);
  }
  if (s.deadline)
    w.key("deadline").string(format_timestamp(*s.deadline));
  w.end_object();

  // The state goes last, spliced in as the codec wrote it rather than parsed and written again.
  std::string out = w.take();
  out.pop_back();
  out.reserve(out.size() + state_json.size() + 10);
  out += ",\"state\":";
  out += state_json;
  out += '}';
  return out;
}

result<DecodedSnapshot> decode_snapshot(std::string_view data) {
  auto parsed = json::parse(data);
  if (!parsed)
    return Reader::corrupt("document", parsed.error().message);
  const json::Value& root = parsed.value();
  Reader r(root);
  OPSGRAPH_TRY(auto format, r.count("format"));
  if (format != Snapshot::kFormat) {
    return make_error(errc::storage, "checkpoint format " + std::to_string(format) +
                                         " is not supported (this build reads format " +
                                         std::to_string(Snapshot::kFormat) + ")");
  }
  DecodedSnapshot out;
  Snapshot& s = out.snapshot;
  OPSGRAPH_TRY(s.graph, r.string("graph"));
  OPSGRAPH_TRY(s.status, r.string("status"));
  OPSGRAPH_TRY(s.steps, r.count("steps"));
  OPSGRAPH_TRY(s.step_limit, r.count("step_limit"));
  OPSGRAPH_TRY(s.pending, r.strings("pending"));
  OPSGRAPH_TRY(s.done, r.strings("done"));
  OPSGRAPH_TRY(auto joins, r.member("joins", json::Kind::array));
  for (auto& arrived : *joins->if_array()) {
    if (!arrived.is_array())
      return Reader::corrupt("joins", "expected arrays");
    OPSGRAPH_TRY(auto names, Reader::to_strings(arrived, "joins"));
    s.joins.push_back(std::move(names));
  }
  OPSGRAPH_TRY(auto attempts, r.member("attempts", json::Kind::object));
  for (auto& [node, n] : *attempts->if_object()) {
    if (!n.is_integer())
      return Reader::corrupt("attempts", "expected integers");
    s.attempts.emplace_back(node, static_cast<int>(*n.if_integer()));
  }
  OPSGRAPH_TRY(auto interrupts, r.member("interrupts", json::Kind::array));
  for (auto& item : *interrupts->if_array()) {
    OPSGRAPH_TRY(auto node, Reader(item).string("node"));
    const json::Value* payload = item.find("payload");
    s.interrupts.push_back(Interrupt{std::move(node), payload ? *payload : json::Value{}});
  }
  OPSGRAPH_TRY(auto error, r.member("error", json::Kind::object, /*optional=*/true));
  if (error) {
    s.error.emplace();
    OPSGRAPH_TRY(read_error(*error, *s.error));
  }
  OPSGRAPH_TRY(auto deadline, r.member("deadline", json::Kind::string, /*optional=*/true));
  if (deadline) {
    OPSGRAPH_TRY(auto t, parse_timestamp(*deadline->if_string()));
    s.deadline = t;
  }
  const json::Value* state = root.find("state");
  if (state == nullptr)
    return Reader::corrupt("state", "missing");
  out.state = *state;
  return out;
}

}  // namespace opsgraph::graph::detail
