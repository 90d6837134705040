#include "keys_command.hpp"

#include <iostream>
#include <memory>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/engine/config.hpp>
#include <opsgraph/service/api_keys.hpp>
#include <opsgraph/store/key_store.hpp>

#include "engine_setup.hpp"
#include "output.hpp"
#include "task_flow.hpp"

namespace opsgraph::cli {
namespace {

constexpr std::string_view kCommand = "keys";

struct KeysArguments {
  std::string config = "";
  std::string store = "";
  bool json = false;
  std::string name = "";
  std::string role = "";
  std::string id = "";
  std::string actor = "";
};

// Who the store records as having made or revoked a key.
std::string actor_of(const KeysArguments& args) {
  return args.actor.empty() ? default_actor() : args.actor;
}

result<std::shared_ptr<store::KeyStore>> open_keys(const KeysArguments& args) {
  const auto env = engine::process_environment();
  OPSGRAPH_TRY(auto config, load_engine_config(args.config, env));
  config = with_store_flag(std::move(config), args.store);
  OPSGRAPH_TRY(auto options, engine::options_from(config, env));
  auto keys = std::dynamic_pointer_cast<store::KeyStore>(options.store);
  if (!keys)
    return fail(errc::invalid_argument, "the store keeps no API keys");
  return keys;
}

std::string revoked_text(const store::ApiKey& key) {
  if (!key.revoked_at)
    return "no";
  std::string text = json::encode(*key.revoked_at);
  if (!key.revoked_by.empty())
    text += " by " + key.revoked_by;
  return text;
}

void print_key(const store::ApiKey& key) {
  std::cout << text_row("id", key.id) << text_row("name", key.name) << text_row("role", key.role)
            << text_row("created", json::encode(key.created_at))
            << text_row("created by", key.created_by) << text_row("revoked", revoked_text(key));
}

ExitCode create(const KeysArguments& args) {
  const auto role = service::parse_role(args.role);
  if (!role) {
    return report_error(
        kCommand, make_error(errc::invalid_argument, "--role: viewer, operator, approver or admin"),
        args.json);
  }
  auto keys = open_keys(args);
  if (!keys)
    return report_error(kCommand, keys.error(), args.json);
  auto made = service::make_key(args.name, *role, actor_of(args));
  if (!made)
    return report_error(kCommand, made.error(), args.json);
  auto stored = keys.value()->add_key(made.value().key);
  if (!stored)
    return report_error(kCommand, stored.error(), args.json);
  if (args.json) {
    auto out = service::key_json(stored.value());
    out.set("secret", made.value().secret);
    std::cout << json::dump(out) << std::endl;
  } else {
    print_key(stored.value());
    std::cout << text_row("secret", made.value().secret)
              << "The secret is shown this once; only its hash is stored.\n";
  }
  return kSuccess;
}

ExitCode list(const KeysArguments& args) {
  auto keys = open_keys(args);
  if (!keys)
    return report_error(kCommand, keys.error(), args.json);
  auto listed = keys.value()->list_keys();
  if (!listed)
    return report_error(kCommand, listed.error(), args.json);
  if (args.json) {
    json::Array out;
    for (const auto& key : listed.value())
      out.push_back(service::key_json(key));
    std::cout << json::dump(json::Object{{"keys", std::move(out)}}) << std::endl;
    return kSuccess;
  }
  for (const auto& key : listed.value()) {
    std::cout << key.id << "  " << key.role << "  " << key.name
              << (key.revoked_at ? "  (revoked)" : "") << '\n';
  }
  return kSuccess;
}

ExitCode revoke(const KeysArguments& args) {
  auto keys = open_keys(args);
  if (!keys)
    return report_error(kCommand, keys.error(), args.json);
  auto revoked = keys.value()->revoke_key(args.id, actor_of(args));
  if (!revoked)
    return report_error(kCommand, revoked.error(), args.json);
  if (args.json)
    std::cout << json::dump(service::key_json(revoked.value())) << std::endl;
  else
    print_key(revoked.value());
  return kSuccess;
}

void add_store_options(CLI::App& command, KeysArguments& args) {
  add_config_option(command, args.config);
  add_store_option(command, args.store, /*sqlite_by_default=*/true);
  command.add_flag("--json", args.json, "Print JSON");
}

void add_actor_option(CLI::App& command, KeysArguments& args) {
  command.add_option("--actor", args.actor,
                     "Who the store records as doing this (default: $USER, else \"cli\")");
}

}  // namespace

void add_keys_command(CLI::App& app, ExitCode& exit_code) {
  auto args = std::make_shared<KeysArguments>();
  CLI::App* keys = app.add_subcommand("keys", "Manage the HTTP API's keys on the store");
  keys->require_subcommand(1);

  CLI::App* create_command = keys->add_subcommand(
      "create", "Make a key and print its secret, once (only its SHA-256 is stored)");
  create_command->add_option("--name", args->name, "What the key is for")->required();
  create_command->add_option("--role", args->role, "viewer, operator, approver or admin")
      ->required()
      ->check(CLI::IsMember({"viewer", "operator", "approver", "admin"}));
  add_actor_option(*create_command, *args);
  add_store_options(*create_command, *args);
  create_command->callback([args, &exit_code] { exit_code = create(*args); });

  CLI::App* list_command = keys->add_subcommand("list", "List the keys, revoked ones too");
  add_store_options(*list_command, *args);
  list_command->callback([args, &exit_code] { exit_code = list(*args); });

  CLI::App* revoke_command = keys->add_subcommand("revoke", "Revoke a key by its id");
  revoke_command->add_option("id", args->id, "The key's id (key_...)")->required();
  add_actor_option(*revoke_command, *args);
  add_store_options(*revoke_command, *args);
  revoke_command->callback([args, &exit_code] { exit_code = revoke(*args); });
}

}  // namespace opsgraph::cli
