// compile(): every check a graph must pass before it runs, reported all at once.

#include <algorithm>
#include <opsgraph/graph/detail/graph_spec.hpp>
#include <opsgraph/graph/state_graph.hpp>
#include <set>
#include <string>
#include <unordered_map>

namespace opsgraph::graph::detail {

std::optional<std::size_t> GraphSpec::find(std::string_view name) const noexcept {
  if (name == kEnd)
    return kEndIndex;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == name)
      return i;
  }
  return std::nullopt;
}

namespace {

class Checker {
 public:
  explicit Checker(GraphSpec& spec) : spec_(spec) {}

  result<std::shared_ptr<const GraphSpec>> run() {
    problems_ = spec_.build_errors;
    check_nodes();
    if (!problems_.empty())
      return report();  // the rest needs unique, named nodes
    spec_.routes.assign(spec_.nodes.size(), {});
    check_entry();
    index_edges();
    index_conditional_edges();
    index_joins();
    check_exits_and_fan_out();
    check_reachability();
    if (!problems_.empty())
      return report();
    return std::shared_ptr<const GraphSpec>(std::make_shared<GraphSpec>(std::move(spec_)));
  }

 private:
  void check_nodes() {
    if (spec_.name.empty())
      problems_.push_back("the graph has no name");
    std::set<std::string_view> seen;
    for (auto& node : spec_.nodes) {
      if (node.name.empty())
        problems_.push_back("a node has an empty name");
      if (node.name == kEnd)
        problems_.push_back("\"" + node.name + "\" is reserved for the end");
      if (node.name.find('/') != std::string::npos) {
        problems_.push_back("node \"" + node.name + "\": '/' is reserved for subgraph paths");
      }
      if (!seen.insert(node.name).second) {
        problems_.push_back("node \"" + node.name + "\" is added twice");
      }
      if (node.options.retry.max_attempts < 1) {
        problems_.push_back("node \"" + node.name + "\": retry.max_attempts must be at least 1");
      }
    }
  }

  void check_entry() {
    if (spec_.entry.empty()) {
      problems_.push_back("no entry node (call set_entry)");
      return;
    }
    auto entry = spec_.find(spec_.entry);
    if (!entry || *entry == kEndIndex) {
      problems_.push_back("entry node \"" + spec_.entry + "\" does not exist");
      return;
    }
    spec_.entry_index = *entry;
  }

  std::optional<std::size_t> source(std::string_view name, std::string_view what) {
    auto index = spec_.find(name);
    if (!index || *index == kEndIndex) {
      problems_.push_back(std::string(what) + " from unknown node \"" + std::string(name) + "\"");
      return std::nullopt;
    }
    return index;
  }

  std::optional<std::size_t> target(std::string_view name, std::string_view what) {
    auto index = spec_.find(name);
    if (!index) {
      problems_.push_back(std::string(what) + " to unknown node \"" + std::string(name) + "\"");
    }
    return index;
  }

  void index_edges() {
    for (auto& [from, to] : spec_.edges) {
      auto f = source(from, "edge");
      auto t = target(to, "edge \"" + from + "\" ->");
      if (!f || !t)
        continue;
      auto& plain = spec_.routes[*f].plain;
      if (std::find(plain.begin(), plain.end(), *t) != plain.end()) {
        problems_.push_back("edge \"" + from + "\" -> \"" + to + "\" is added twice");
        continue;
      }
      plain.push_back(*t);
    }
  }

  void index_conditional_edges() {
    for (std::size_t i = 0; i < spec_.conditional_edges.size(); ++i) {
      auto& edge = spec_.conditional_edges[i];
      auto f = source(edge.from, "conditional edge");
      if (edge.targets.empty()) {
        problems_.push_back("conditional edge from \"" + edge.from + "\" names no targets");
      }
      for (auto& t : edge.targets)
        target(t, "conditional edge \"" + edge.from + "\" ->");
      if (f)
        spec_.routes[*f].conditional.push_back(i);
    }
  }

  void index_joins() {
    for (std::size_t i = 0; i < spec_.joins.size(); ++i) {
      auto& join = spec_.joins[i];
      auto t = target(join.target, "join");
      if (t && *t == kEndIndex)
        problems_.push_back("a join cannot target the end");
      if (join.sources.size() < 2) {
        problems_.push_back("join to \"" + join.target + "\" needs at least two sources");
      }
      for (auto& s : join.sources) {
        if (auto f = source(s, "join \"" + join.target + "\""))
          spec_.routes[*f].joins.push_back(i);
      }
    }
  }

  void check_exits_and_fan_out() {
    for (std::size_t i = 0; i < spec_.nodes.size(); ++i) {
      auto& r = spec_.routes[i];
      const auto& name = spec_.nodes[i].name;
      if (r.plain.empty() && r.conditional.empty() && r.joins.empty()) {
        problems_.push_back("node \"" + name + "\" has no outgoing edge (add one to graph::kEnd)");
      }
      // Two or more targets at once run in parallel, and parallel results need a reducer.
      const bool fans_out = r.plain.size() > 1 || r.conditional.size() > 1 ||
                            (!r.plain.empty() && !r.conditional.empty());
      if (fans_out && !spec_.reducer) {
        problems_.push_back("node \"" + name +
                            "\" fans out to parallel nodes but the graph has no reducer "
                            "(call set_reducer)");
      }
    }
    if (!spec_.reducer && !spec_.joins.empty()) {
      problems_.push_back("the graph has joins but no reducer (call set_reducer)");
    }
  }

  void check_reachability() {
    auto entry = spec_.find(spec_.entry);
    if (!entry || *entry == kEndIndex)
      return;
    std::vector<bool> reached(spec_.nodes.size(), false);
    std::vector<std::size_t> todo{spec_.entry_index};
    reached[spec_.entry_index] = true;
    auto visit = [&](std::size_t n) {
      if (n != kEndIndex && !reached[n]) {
        reached[n] = true;
        todo.push_back(n);
      }
    };
    while (!todo.empty()) {
      auto n = todo.back();
      todo.pop_back();
      for (auto t : spec_.routes[n].plain)
        visit(t);
      for (auto c : spec_.routes[n].conditional) {
        for (auto& t : spec_.conditional_edges[c].targets) {
          if (auto index = spec_.find(t))
            visit(*index);
        }
      }
      for (auto j : spec_.routes[n].joins) {
        if (auto index = spec_.find(spec_.joins[j].target))
          visit(*index);
      }
    }
    for (std::size_t i = 0; i < reached.size(); ++i) {
      if (!reached[i]) {
        problems_.push_back("node \"" + spec_.nodes[i].name +
                            "\" cannot be reached from the entry");
      }
    }
  }

  Error report() const {
    std::string message = "graph \"" + spec_.name + "\" is not valid: ";
    json::Array list;
    for (std::size_t i = 0; i < problems_.size(); ++i) {
      if (i > 0)
        message += "; ";
      message += problems_[i];
      list.emplace_back(problems_[i]);
    }
    json::Value details;
    details.set("problems", std::move(list));
    return make_error(errc::invalid_argument, std::move(message), std::move(details));
  }

  GraphSpec& spec_;
  std::vector<std::string> problems_;
};

}  // namespace

result<std::shared_ptr<const GraphSpec>> compile(GraphSpec spec) {
  return Checker(spec).run();
}

}  // namespace opsgraph::graph::detail
