#pragma once
// The shared HTTP test client under the names the mock's tests use, and the body of a
// chat-completions request.

#include <opsgraph/core/json.hpp>
#include <string>
#include <string_view>

#include "support/http_client.hpp"

namespace opsgraph::mock::testing {

using opsgraph::testing::ClientOptions;
using opsgraph::testing::Headers;
using opsgraph::testing::HttpClient;
using opsgraph::testing::Reply;
using opsgraph::testing::sse_data;

/// A chat-completions request body: `model` and one user message, plus `extra` members.
inline std::string chat_body(std::string_view model, std::string_view user,
                             const json::Object& extra = {}) {
  json::Value message = json::Object{};
  message.set("role", "user");
  message.set("content", user);
  json::Value body = json::Object{};
  body.set("model", model);
  body.set("messages", json::Array{message});
  for (const auto& [key, value] : extra)
    body.set(key, value);
  return json::dump(body);
}

}  // namespace opsgraph::mock::testing
