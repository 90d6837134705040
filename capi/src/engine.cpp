// opsgraph_engine_*: an Engine built from config JSON behind a C handle. Requests, decisions and
// queries come in as JSON; tasks, pages and events go out as JSON with "schema_version".

#include <opsgraph/engine/config.hpp>
#include <optional>
#include <utility>

#include "engine_handles.hpp"
#include "engine_json.hpp"

namespace opsgraph::capi {
namespace {

opsgraph_engine_options default_engine_options() noexcept {
  opsgraph_engine_options options{};
  options.struct_size = sizeof(opsgraph_engine_options);
  options.config_json = nullptr;
  options.provider = nullptr;
  options.ignore_environment = 0;
  return options;
}

/// The config as the CLI reads it: the text given (else $OPSGRAPH_CONFIG's file when the
/// environment applies, else the defaults), then the environment's overrides.
result<engine::EngineConfig> config_from(const opsgraph_engine_options& o,
                                         const engine::Environment& env) {
  const bool use_environment = o.ignore_environment == 0;
  engine::EngineConfig config;
  if (o.config_json != nullptr) {
    OPSGRAPH_TRY(config, engine::parse_config(o.config_json, "config_json"));
  } else if (auto path = use_environment ? env("OPSGRAPH_CONFIG") : std::nullopt;
             path && !path->empty()) {
    OPSGRAPH_TRY(config, engine::load_config(*path));
  }
  if (use_environment)
    config = engine::with_environment(std::move(config), env);
  return config;
}

/// NULL_ARGUMENT, INVALID_HANDLE or INVALID_UTF8 for the arguments every task call shares; the
/// output is set to NULL first. `changes` refuses the call inside a callback.
opsgraph_status check_task_call(std::string_view entry, const opsgraph_engine* engine,
                                const char* task_id, char** out, std::string_view out_name,
                                bool changes) {
  if (auto s = require(out, out_name); s != OPSGRAPH_OK)
    return s;
  *out = nullptr;
  if (auto s = check_handle(engine, "engine"); s != OPSGRAPH_OK)
    return s;
  if (changes) {
    if (auto s = refuse_in_callback(entry); s != OPSGRAPH_OK)
      return s;
  }
  return require_utf8(task_id, "task_id");
}

/// Hands out the task `task` holds, or records its error.
opsgraph_status task_out(const result<coordinator::TaskSnapshot>& task, char** out) {
  if (!task)
    return set_error(task.error());
  *out = copy_out(task_document(task.value()));
  return OPSGRAPH_OK;
}

std::string actor_or_default(const char* actor) {
  return actor == nullptr ? std::string("anonymous") : std::string(actor);
}

}  // namespace
}  // namespace opsgraph::capi

using namespace opsgraph;
using namespace opsgraph::capi;

extern "C" {

opsgraph_status opsgraph_engine_options_init(opsgraph_engine_options* options, size_t struct_size) {
  return guarded("opsgraph_engine_options_init", [&] {
    if (auto s = require(options, "options"); s != OPSGRAPH_OK)
      return s;
    if (auto s = check_struct_size(struct_size, sizeof(opsgraph_engine_options), "options");
        s != OPSGRAPH_OK)
      return s;
    *options = default_engine_options();
    return OPSGRAPH_OK;
  });
}

opsgraph_status opsgraph_engine_create(const opsgraph_engine_options* options,
                                       opsgraph_engine** engine_out) {
  return guarded("opsgraph_engine_create", [&] {
    if (auto s = require(engine_out, "engine_out"); s != OPSGRAPH_OK)
      return s;
    *engine_out = nullptr;
    const opsgraph_engine_options o = options ? *options : default_engine_options();
    if (auto s = check_struct_size(o.struct_size, sizeof(opsgraph_engine_options), "options");
        s != OPSGRAPH_OK)
      return s;
    if (o.config_json != nullptr && !is_valid_utf8(o.config_json))
      return set_error(OPSGRAPH_INVALID_UTF8, "options.config_json is not valid UTF-8");
    if (o.provider != nullptr) {
      if (auto s = check_handle(o.provider, "options.provider"); s != OPSGRAPH_OK)
        return s;
    }
    const engine::Environment env = engine::process_environment();
    auto config = config_from(o, env);
    if (!config)
      return set_error(config.error());
    auto engine_options = engine::options_from(config.value(), env);
    if (!engine_options)
      return set_error(engine_options.error());
    if (o.provider != nullptr) {
      engine_options.value().provider = o.provider->provider;  // shared: the handle may go now
      engine_options.value().provider_factory = nullptr;
    }
    engine_options.value().logger = c_logger();
    auto made = engine::Engine::create(std::move(engine_options).value());
    if (!made)
      return set_error(made.error());
    auto handle = std::make_unique<opsgraph_engine>();
    handle->engine = std::move(made).value();
    c_logger().debug("capi", "engine created",
                     {{"store", config.value().store.kind},
                      {"provider", o.provider != nullptr ? o.provider->provider->name()
                                                         : std::string_view("openai")}});
    *engine_out = handle.release();
    return OPSGRAPH_OK;
  });
}

void opsgraph_engine_destroy(opsgraph_engine* engine) {
  if (engine == nullptr || engine->tag != opsgraph_engine::kTag)
    return;
  if (in_callback()) {
    // Its threads would join themselves: refuse rather than deadlock.
    c_logger().error("capi", "opsgraph_engine_destroy called from a callback; ignored");
    return;
  }
  engine->tag = 0;
  engine->feed.reset();  // waits for an event being delivered; none is delivered after this
  engine->engine.reset();
  delete engine;
}

opsgraph_status opsgraph_engine_execute(opsgraph_engine* engine, const char* request_json,
                                        char** task_json_out) {
  return guarded("opsgraph_engine_execute", [&] {
    if (auto s = require(task_json_out, "task_json_out"); s != OPSGRAPH_OK)
      return s;
    *task_json_out = nullptr;
    if (auto s = check_handle(engine, "engine"); s != OPSGRAPH_OK)
      return s;
    if (auto s = refuse_in_callback("opsgraph_engine_execute"); s != OPSGRAPH_OK)
      return s;
    if (auto s = require_utf8(request_json, "request_json"); s != OPSGRAPH_OK)
      return s;
    auto request = parse_execute_request(request_json, "request_json");
    if (!request)
      return set_error(request.error());
    return task_out(engine->engine->execute(request.value()), task_json_out);
  });
}

opsgraph_status opsgraph_engine_approve(opsgraph_engine* engine, const char* task_id,
                                        const char* decision_json, char** task_json_out) {
  return guarded("opsgraph_engine_approve", [&] {
    if (auto s = check_task_call("opsgraph_engine_approve", engine, task_id, task_json_out,
                                 "task_json_out", true);
        s != OPSGRAPH_OK)
      return s;
    if (decision_json != nullptr && !is_valid_utf8(decision_json))
      return set_error(OPSGRAPH_INVALID_UTF8, "decision_json is not valid UTF-8");
    auto decision = parse_approve_request(decision_json, "decision_json");
    if (!decision)
      return set_error(decision.error());
    return task_out(engine->engine->approve(task_id, decision.value()), task_json_out);
  });
}

opsgraph_status opsgraph_engine_reject(opsgraph_engine* engine, const char* task_id,
                                       const char* decision_json, char** task_json_out) {
  return guarded("opsgraph_engine_reject", [&] {
    if (auto s = check_task_call("opsgraph_engine_reject", engine, task_id, task_json_out,
                                 "task_json_out", true);
        s != OPSGRAPH_OK)
      return s;
    if (decision_json != nullptr && !is_valid_utf8(decision_json))
      return set_error(OPSGRAPH_INVALID_UTF8, "decision_json is not valid UTF-8");
    auto decision = parse_reject_request(decision_json, "decision_json");
    if (!decision)
      return set_error(decision.error());
    return task_out(engine->engine->reject(task_id, decision.value()), task_json_out);
  });
}

opsgraph_status opsgraph_engine_status(opsgraph_engine* engine, const char* task_id,
                                       char** task_json_out) {
  return guarded("opsgraph_engine_status", [&] {
    if (auto s = check_task_call("opsgraph_engine_status", engine, task_id, task_json_out,
                                 "task_json_out", false);
        s != OPSGRAPH_OK)
      return s;
    return task_out(engine->engine->status(task_id), task_json_out);
  });
}

opsgraph_status opsgraph_engine_list(opsgraph_engine* engine, const char* query_json,
                                     char** page_json_out) {
  return guarded("opsgraph_engine_list", [&] {
    if (auto s = require(page_json_out, "page_json_out"); s != OPSGRAPH_OK)
      return s;
    *page_json_out = nullptr;
    if (auto s = check_handle(engine, "engine"); s != OPSGRAPH_OK)
      return s;
    if (query_json != nullptr && !is_valid_utf8(query_json))
      return set_error(OPSGRAPH_INVALID_UTF8, "query_json is not valid UTF-8");
    auto query = parse_task_query(query_json, "query_json");
    if (!query)
      return set_error(query.error());
    auto page = engine->engine->list(query.value());
    if (!page)
      return set_error(page.error());
    *page_json_out = copy_out(page_document(page.value()));
    return OPSGRAPH_OK;
  });
}

opsgraph_status opsgraph_engine_cancel(opsgraph_engine* engine, const char* task_id,
                                       const char* actor_utf8, char** task_json_out) {
  return guarded("opsgraph_engine_cancel", [&] {
    if (auto s = check_task_call("opsgraph_engine_cancel", engine, task_id, task_json_out,
                                 "task_json_out", true);
        s != OPSGRAPH_OK)
      return s;
    if (actor_utf8 != nullptr && !is_valid_utf8(actor_utf8))
      return set_error(OPSGRAPH_INVALID_UTF8, "actor_utf8 is not valid UTF-8");
    return task_out(engine->engine->cancel(task_id, actor_or_default(actor_utf8)), task_json_out);
  });
}

opsgraph_status opsgraph_engine_retry(opsgraph_engine* engine, const char* task_id,
                                      const char* actor_utf8, char** task_json_out) {
  return guarded("opsgraph_engine_retry", [&] {
    if (auto s = check_task_call("opsgraph_engine_retry", engine, task_id, task_json_out,
                                 "task_json_out", true);
        s != OPSGRAPH_OK)
      return s;
    if (actor_utf8 != nullptr && !is_valid_utf8(actor_utf8))
      return set_error(OPSGRAPH_INVALID_UTF8, "actor_utf8 is not valid UTF-8");
    return task_out(engine->engine->retry(task_id, actor_or_default(actor_utf8)), task_json_out);
  });
}

opsgraph_status opsgraph_engine_wait(opsgraph_engine* engine, const char* task_id, int what,
                                     uint32_t timeout_ms, char** task_json_out) {
  return guarded("opsgraph_engine_wait", [&] {
    if (auto s = check_task_call("opsgraph_engine_wait", engine, task_id, task_json_out,
                                 "task_json_out", timeout_ms > 0);
        s != OPSGRAPH_OK)
      return s;
    if (what < OPSGRAPH_WAIT_PLAN || what > OPSGRAPH_WAIT_FINAL)
      return set_error(OPSGRAPH_INVALID_ARGUMENT, "what is not an opsgraph_wait_for");
    const auto wait_for = static_cast<engine::WaitFor>(what);
    return task_out(engine->engine->wait(task_id, wait_for, std::chrono::milliseconds(timeout_ms)),
                    task_json_out);
  });
}

opsgraph_status opsgraph_engine_events(opsgraph_engine* engine, const char* task_id,
                                       uint64_t after_seq, size_t limit, char** events_json_out) {
  return guarded("opsgraph_engine_events", [&] {
    if (auto s = check_task_call("opsgraph_engine_events", engine, task_id, events_json_out,
                                 "events_json_out", false);
        s != OPSGRAPH_OK)
      return s;
    auto events = engine->engine->events(task_id, after_seq, limit);
    if (!events)
      return set_error(events.error());
    *events_json_out = copy_out(events_document(events.value()));
    return OPSGRAPH_OK;
  });
}

}  // extern "C"
