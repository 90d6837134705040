// /api/v1/keys: API keys made, listed and revoked by an admin. The secret of a new key is in the
// answer to its creation and nowhere else.

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/service/api_keys.hpp>

#include "problem.hpp"
#include "request_body.hpp"
#include "service_core.hpp"

namespace opsgraph::service {

struct KeyBody {
  std::string name;
  std::string role;
};

}  // namespace opsgraph::service

template <>
struct opsgraph::json::Schema<opsgraph::service::KeyBody> {
  using T = opsgraph::service::KeyBody;
  static constexpr bool allow_unknown = false;
  static constexpr auto fields =
      std::make_tuple(json::field("name", &T::name), json::field("role", &T::role));
};

namespace opsgraph::service {

Task<http::Response> create_key(Call& call) {
  auto body = read_body<KeyBody>(call.request, /*body_required=*/true);
  if (!body)
    co_return problem(body.error());
  const auto role = parse_role(body.value().role);
  if (!role) {
    co_return problem(make_error(errc::invalid_argument,
                                 "role: expected viewer, operator, approver or admin",
                                 json::Object{{"path", "role"}}));
  }
  auto made = make_key(body.value().name, *role, call.actor());
  if (!made)
    co_return problem(made.error());
  auto keys = call.core.keys;
  auto add = on_store(call.core, [keys, key = made.value().key] { return keys->add_key(key); });
  auto stored = co_await std::move(add);
  if (!stored)
    co_return problem(stored.error());
  auto answer = key_json(stored.value());
  answer.set("secret", made.value().secret);
  auto response = json_response(201, json::dump(answer));
  response.headers.emplace_back("Location", "/api/v1/keys/" + stored.value().id);
  response.headers.emplace_back("Cache-Control", "no-store");
  co_return response;
}

Task<http::Response> list_keys(Call& call) {
  auto keys = call.core.keys;
  auto read = on_store(call.core, [keys] { return keys->list_keys(); });
  auto listed = co_await std::move(read);
  if (!listed)
    co_return problem(listed.error());
  json::Array out;
  for (const auto& key : listed.value())
    out.push_back(key_json(key));
  co_return json_response(200, json::dump(json::Object{{"keys", std::move(out)}}));
}

Task<http::Response> revoke_key(Call& call) {
  auto keys = call.core.keys;
  auto revoke = on_store(call.core, [keys, id = call.id, actor = call.actor()] {
    return keys->revoke_key(id, actor);
  });
  auto revoked = co_await std::move(revoke);
  if (!revoked)
    co_return problem(revoked.error());
  call.core.auth.forget(revoked.value().id);
  co_return json_response(200, json::dump(key_json(revoked.value())));
}

}  // namespace opsgraph::service
