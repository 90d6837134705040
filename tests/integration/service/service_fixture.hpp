#pragma once
// The HTTP service against real parts: the engine fixture's SQLite file and mock LLM server, an
// Engine shared with a Service listening on 127.0.0.1, one API key per role in the store, and a
// real HTTP client.

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <opsgraph/service/api_keys.hpp>
#include <opsgraph/service/service.hpp>
#include <string>

#include "../engine/engine_fixture.hpp"
#include "support/http_client.hpp"

namespace opsgraph::service::testing {

using opsgraph::testing::Headers;
using opsgraph::testing::HttpClient;
using opsgraph::testing::Reply;

/// The CPU diagnosis (low risk, completes on its own) and the RDP lock-down (always gated).
inline constexpr const char* kCpuRequest =
    "Diagnose why Windows Server 2019 VM cpu01 hits 95%+ CPU, generate a PowerShell script to "
    "collect perfmon logs, and draft an email to management summarising findings.";
inline constexpr const char* kRdpRequest =
    "Create Azure CLI commands to lock RDP (3389) on my three production VMs to 10.0.0.0/24 and "
    "pause for approval before outputting the commands.";

/// `{"request": text}` plus `extra` members.
std::string execute_body(std::string_view text, const json::Object& extra = {});

class ServiceTest : public engine::testing::EngineTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Starts the service with `tweak` applied to its config; SetUp starts it with the defaults
  /// unless a test calls restart_service.
  void restart_service(const std::function<void(ServiceConfig&)>& tweak);

  /// The secret and the id of the key SetUp made for `role`.
  const std::string& secret(Role role) const { return keys_.at(role).secret; }
  const std::string& key_id(Role role) const { return keys_.at(role).key.id; }
  /// An Authorization header with `role`'s key.
  Headers auth(Role role) const;
  /// A fresh key of `role` stored now (for self-approval tests, say).
  NewKey add_key(Role role, const std::string& name);

  /// One request on a new connection, as `role` (nullopt: no key).
  Reply call(std::string_view method, std::string_view target, std::string_view body = {},
             std::optional<Role> role = Role::admin, const Headers& extra = {});
  /// POST /api/v1/execute as an operator; the task's JSON (asserts 202 or 200).
  json::Value execute_http(std::string_view text, std::string_view query = "",
                           std::optional<Role> role = Role::operator_role);
  /// GET /api/v1/tasks/{id} until `done` holds or `timeout` passes; the last JSON seen.
  json::Value poll_task(const std::string& id, const std::function<bool(const json::Value&)>& done,
                        std::chrono::milliseconds timeout = std::chrono::seconds{30});

  std::uint16_t port() const { return service_->port(); }

  std::shared_ptr<engine::Engine> shared_engine_;
  std::unique_ptr<Service> service_;
  std::map<Role, NewKey> keys_;
};

/// A string member of a JSON object ("" when absent or not a string).
std::string text_of(const json::Value& value, std::string_view member);

}  // namespace opsgraph::service::testing
