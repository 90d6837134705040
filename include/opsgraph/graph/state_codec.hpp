#pragma once
// opsgraph::graph::StateCodec<State> — how a graph's state becomes the JSON of its checkpoints and
// back, so a run can continue in another process (or after an upgrade that kept the schema).
//
// The default uses the typed JSON codecs of <opsgraph/core/json_codec.hpp>: declare a
// json::Schema<State> and nothing else is needed. Specialize StateCodec for anything else.

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/core/json_value.hpp>
#include <opsgraph/core/result.hpp>
#include <string>

namespace opsgraph::graph {

template <class State>
struct StateCodec {
  /// The state as a JSON text.
  static std::string encode(const State& state) { return json::encode(state); }
  /// The state from what encode() wrote, parsed.
  static result<State> decode(const json::Value& value) { return json::from_value<State>(value); }
};

}  // namespace opsgraph::graph
