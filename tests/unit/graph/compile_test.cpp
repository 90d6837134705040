#include <gtest/gtest.h>

#include <opsgraph/graph/state_graph.hpp>

#include "unit/graph/trace_state.hpp"

namespace opsgraph::graph {
namespace {

using testing::Trace;
using testing::Visit;

std::string problems_of(const StateGraph<Trace>& g) {
  auto compiled = g.compile();
  EXPECT_FALSE(compiled);
  if (compiled)
    return {};
  EXPECT_EQ(compiled.error().code, errc::invalid_argument);
  return compiled.error().message;
}

TEST(CompileTest, AcceptsAValidGraph) {
  StateGraph<Trace> g("ok");
  g.add_node("a", Visit{"a"}).add_node("b", Visit{"b"});
  g.set_entry("a").add_edge("a", "b").add_edge("b", std::string(kEnd));
  auto compiled = g.compile();
  ASSERT_TRUE(compiled) << compiled.error().message;
  EXPECT_EQ(compiled.value().name(), "ok");
}

TEST(CompileTest, RejectsAMissingEntry) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_edge("a", std::string(kEnd));
  EXPECT_NE(problems_of(g).find("no entry node"), std::string::npos);
}

TEST(CompileTest, RejectsAnUnknownEntry) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_edge("a", std::string(kEnd)).set_entry("nope");
  EXPECT_NE(problems_of(g).find("entry node \"nope\" does not exist"), std::string::npos);
}

TEST(CompileTest, RejectsEdgesBetweenUnknownNodes) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).set_entry("a").add_edge("a", "ghost").add_edge("phantom", "a");
  auto message = problems_of(g);
  EXPECT_NE(message.find("edge \"a\" -> to unknown node \"ghost\""), std::string::npos) << message;
  EXPECT_NE(message.find("edge from unknown node \"phantom\""), std::string::npos) << message;
}

TEST(CompileTest, RejectsUnreachableNodesAndDeadEnds) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_node("island", Visit{"island"}).add_node("dead", Visit{"dead"});
  g.set_entry("a").add_edge("a", "dead").add_edge("island", std::string(kEnd));
  auto message = problems_of(g);
  EXPECT_NE(message.find("node \"island\" cannot be reached"), std::string::npos) << message;
  EXPECT_NE(message.find("node \"dead\" has no outgoing edge"), std::string::npos) << message;
}

TEST(CompileTest, RejectsDuplicateAndReservedNames) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_node("a", Visit{"a"}).add_node(std::string(kEnd), Visit{"e"});
  g.add_node("x/y", Visit{"xy"});
  auto message = problems_of(g);
  EXPECT_NE(message.find("node \"a\" is added twice"), std::string::npos) << message;
  EXPECT_NE(message.find("reserved for the end"), std::string::npos) << message;
  EXPECT_NE(message.find("reserved for subgraph paths"), std::string::npos) << message;
}

TEST(CompileTest, RequiresAReducerToFanOut) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_node("b", Visit{"b"}).add_node("c", Visit{"c"});
  g.set_entry("a").add_edge("a", "b").add_edge("a", "c");
  g.add_edge("b", std::string(kEnd)).add_edge("c", std::string(kEnd));
  EXPECT_NE(problems_of(g).find("no reducer"), std::string::npos);
  g.set_reducer(testing::merge_traces);
  EXPECT_TRUE(g.compile());
}

TEST(CompileTest, ChecksConditionalTargetsAndJoins) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_node("b", Visit{"b"});
  g.set_entry("a").add_conditional_edges("a", [](const Trace&) { return "b"; }, {"b", "zzz"});
  g.add_join({"b"}, "a");
  auto message = problems_of(g);
  EXPECT_NE(message.find("conditional edge \"a\" -> to unknown node \"zzz\""), std::string::npos)
      << message;
  EXPECT_NE(message.find("join to \"a\" needs at least two sources"), std::string::npos) << message;
}

TEST(CompileTest, ListsEveryProblemInDetails) {
  StateGraph<Trace> g("g");
  g.add_node("a", Visit{"a"}).add_edge("a", "b").add_edge("c", "a");
  auto compiled = g.compile();
  ASSERT_FALSE(compiled);
  const auto* problems = compiled.error().details.find("problems");
  ASSERT_NE(problems, nullptr);
  ASSERT_TRUE(problems->is_array());
  EXPECT_GE(problems->if_array()->size(), 3u);
}

}  // namespace
}  // namespace opsgraph::graph
