// opsgraph_checker_*: the script checker behind a C handle. Reports and findings cross as JSON.

#include <chrono>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/safety/check_report.hpp>
#include <opsgraph/safety/finding.hpp>
#include <optional>
#include <vector>

#include "handles.hpp"

namespace opsgraph::capi {
namespace {

opsgraph_checker_options default_checker_options() noexcept {
  safety::ScriptCheckerOptions defaults;
  opsgraph_checker_options options{};
  options.struct_size = sizeof(opsgraph_checker_options);
  options.tool_timeout_ms = static_cast<std::uint32_t>(defaults.tool_timeout.count());
  options.max_script_bytes = defaults.max_script_bytes;
  return options;
}

std::optional<std::string> tool_path(const char* path) {
  if (path == nullptr)
    return std::nullopt;
  return std::string(path);
}

/// NULL_ARGUMENT/INVALID_UTF8 for the script, INVALID_ARGUMENT for an unknown language.
opsgraph_status read_input(const char* script, const char* language_name,
                           safety::Language& language) {
  if (auto s = require_utf8(script, "script_utf8"); s != OPSGRAPH_OK)
    return s;
  if (auto s = require_utf8(language_name, "language"); s != OPSGRAPH_OK)
    return s;
  auto parsed = safety::parse_language(language_name);
  if (!parsed)
    return set_error(parsed.error());
  language = parsed.value();
  return OPSGRAPH_OK;
}

// What check and scan share: the arguments checked, `work` run on the script, its JSON handed out.
template <class Work>
opsgraph_status on_script(const char* entry, const opsgraph_checker* checker,
                          const char* script_utf8, const char* language, char** json_out,
                          const char* out_name, Work work) {
  return guarded(entry, [&] {
    if (auto s = require(json_out, out_name); s != OPSGRAPH_OK)
      return s;
    *json_out = nullptr;
    if (auto s = check_handle(checker, "checker"); s != OPSGRAPH_OK)
      return s;
    safety::Language lang{};
    if (auto s = read_input(script_utf8, language, lang); s != OPSGRAPH_OK)
      return s;
    result<std::string> body = work(checker->checker, std::string_view(script_utf8), lang);
    if (!body)
      return set_error(body.error());
    *json_out = copy_out(with_schema_version(body.value()));
    return OPSGRAPH_OK;
  });
}

}  // namespace
}  // namespace opsgraph::capi

using namespace opsgraph;
using namespace opsgraph::capi;

extern "C" {

opsgraph_status opsgraph_checker_options_init(opsgraph_checker_options* options,
                                              size_t struct_size) {
  return guarded("opsgraph_checker_options_init", [&] {
    if (auto s = require(options, "options"); s != OPSGRAPH_OK)
      return s;
    if (auto s = check_struct_size(struct_size, sizeof(opsgraph_checker_options), "options");
        s != OPSGRAPH_OK)
      return s;
    *options = default_checker_options();
    return OPSGRAPH_OK;
  });
}

opsgraph_status opsgraph_checker_create(const opsgraph_checker_options* options,
                                        opsgraph_checker** checker_out) {
  return guarded("opsgraph_checker_create", [&] {
    if (auto s = require(checker_out, "checker_out"); s != OPSGRAPH_OK)
      return s;
    *checker_out = nullptr;
    const opsgraph_checker_options o = options ? *options : default_checker_options();
    if (auto s = check_struct_size(o.struct_size, sizeof(opsgraph_checker_options), "options");
        s != OPSGRAPH_OK)
      return s;
    if (o.tool_timeout_ms == 0)
      return set_error(OPSGRAPH_INVALID_ARGUMENT, "options.tool_timeout_ms must be greater than 0");
    safety::ScriptCheckerOptions checker_options;
    checker_options.rules_path = std::string(text_or_empty(o.rules_path));
    checker_options.bash_path = tool_path(o.bash_path);
    checker_options.python_path = tool_path(o.python_path);
    checker_options.shellcheck_path = tool_path(o.shellcheck_path);
    checker_options.pwsh_path = tool_path(o.pwsh_path);
    checker_options.tool_timeout = std::chrono::milliseconds(o.tool_timeout_ms);
    checker_options.max_script_bytes = o.max_script_bytes;
    auto checker = safety::ScriptChecker::create(std::move(checker_options));
    if (!checker)
      return set_error(checker.error());
    auto* handle = new opsgraph_checker(std::move(checker).value());
    c_logger().debug("capi", "checker created",
                     {{"bash", handle->checker.bash_path()},
                      {"python", handle->checker.python_path()},
                      {"shellcheck", handle->checker.shellcheck_path()},
                      {"pwsh", handle->checker.pwsh_path()}});
    *checker_out = handle;
    return OPSGRAPH_OK;
  });
}

opsgraph_status opsgraph_checker_check(const opsgraph_checker* checker, const char* script_utf8,
                                       const char* language, char** report_json_out) {
  return on_script("opsgraph_checker_check", checker, script_utf8, language, report_json_out,
                   "report_json_out",
                   [](const safety::ScriptChecker& c, std::string_view script,
                      safety::Language lang) -> result<std::string> {
                     OPSGRAPH_TRY(auto report, c.check(script, lang));
                     return json::encode(report);
                   });
}

opsgraph_status opsgraph_checker_scan(const opsgraph_checker* checker, const char* script_utf8,
                                      const char* language, char** findings_json_out) {
  return on_script("opsgraph_checker_scan", checker, script_utf8, language, findings_json_out,
                   "findings_json_out",
                   [](const safety::ScriptChecker& c, std::string_view script,
                      safety::Language lang) -> result<std::string> {
                     OPSGRAPH_TRY(auto findings, c.scan(script, lang));
                     return "{\"findings\":" + json::encode(findings) + "}";
                   });
}

void opsgraph_checker_destroy(opsgraph_checker* checker) {
  if (checker == nullptr || checker->tag != opsgraph_checker::kTag)
    return;
  checker->tag = 0;
  delete checker;
}

}  // extern "C"
