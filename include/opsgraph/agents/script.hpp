#pragma once
// opsgraph::agents::ScriptDraft and Script — what the automation agent writes (a script, the
// script that undoes it, how to verify it) and the script as the task keeps it: the draft plus
// the ScriptChecker's report and the hash a reviewer approves it by. Plain values with JSON
// codecs (snake_case); a Script's JSON is flat, the way clients read it:
// {"language", "code", "rollback_code", "verification_steps", "requires_elevation",
//  "lint_passed", "syntax", "findings", "lint_tool", "attempts", "hash"}.

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/export.hpp>
#include <opsgraph/safety/check_report.hpp>
#include <opsgraph/safety/language.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::agents {

/// The automation agent's answer.
struct ScriptDraft {
  safety::Language language = safety::Language::powershell;
  std::string code;
  /// The script that reverts the change, whenever it can be undone; nullopt for read-only
  /// scripts and changes that cannot be reverted.
  std::optional<std::string> rollback_code;
  std::vector<std::string> verification_steps;
  bool requires_elevation = false;
  friend bool operator==(const ScriptDraft&, const ScriptDraft&) = default;
};

/// A checked script, as the task record holds it.
struct Script {
  ScriptDraft draft;
  /// The ScriptChecker's report on draft.code (lint_passed is derived from it).
  safety::CheckReport check;
  /// How many drafts were written: 1, plus one per regeneration after failed checks.
  int attempts = 1;
  /// content_hash() of the script (see script_hash); what a script_review approval names.
  std::string hash;
  friend bool operator==(const Script&, const Script&) = default;
};

/// "sha256:" and the digest of the language, code and rollback code: everything a reviewer
/// approves, and nothing (like the report) that does not change what would run.
OPSGRAPH_API std::string script_hash(const ScriptDraft& draft);

}  // namespace opsgraph::agents

template <>
struct opsgraph::json::Schema<opsgraph::agents::ScriptDraft> {
  using T = opsgraph::agents::ScriptDraft;
  static constexpr auto fields =
      std::make_tuple(json::field("language", &T::language), json::field("code", &T::code),
                      json::optional_field("rollback_code", &T::rollback_code),
                      json::optional_field("verification_steps", &T::verification_steps),
                      json::optional_field("requires_elevation", &T::requires_elevation));
};

template <>
struct opsgraph::json::Codec<opsgraph::agents::Script> {
  using Script = opsgraph::agents::Script;
  template <class Sink>
  static void write(Sink& sink, const Script& script) {
    sink.begin_object();
    sink.key("language");
    detail::write_value(sink, script.draft.language);
    sink.key("code");
    sink.string(script.draft.code);
    sink.key("rollback_code");
    detail::write_value(sink, script.draft.rollback_code);
    sink.key("verification_steps");
    detail::write_value(sink, script.draft.verification_steps);
    sink.key("requires_elevation");
    sink.boolean(script.draft.requires_elevation);
    sink.key("lint_passed");
    sink.boolean(script.check.lint_passed());
    sink.key("syntax");
    detail::write_value(sink, script.check.syntax);
    sink.key("findings");
    detail::write_value(sink, script.check.findings);
    sink.key("lint_tool");
    sink.string(script.check.lint_tool);
    sink.key("attempts");
    detail::write_value(sink, script.attempts);
    sink.key("hash");
    sink.string(script.hash);
    sink.end_object();
  }
  template <class Source>
  static result<void> read(Source& source, Script& out) {
    bool has_code = false;
    OPSGRAPH_TRY(source.read_object([&](std::string_view name, auto& member) -> result<void> {
      if (name == "language") {
        OPSGRAPH_TRY(detail::read_into(member, out.draft.language));
        out.check.language = out.draft.language;
        return ok();
      }
      if (name == "code") {
        has_code = true;
        return detail::read_into(member, out.draft.code);
      }
      if (name == "rollback_code")
        return detail::read_into(member, out.draft.rollback_code);
      if (name == "verification_steps")
        return detail::read_into(member, out.draft.verification_steps);
      if (name == "requires_elevation")
        return detail::read_into(member, out.draft.requires_elevation);
      if (name == "syntax")
        return detail::read_into(member, out.check.syntax);
      if (name == "findings")
        return detail::read_into(member, out.check.findings);
      if (name == "lint_tool")
        return detail::read_into(member, out.check.lint_tool);
      if (name == "attempts")
        return detail::read_into(member, out.attempts);
      if (name == "hash")
        return detail::read_into(member, out.hash);
      return member.skip();  // lint_passed (always derived), and members of later versions
    }));
    if (!has_code)
      return fail(detail::missing_field_error("code"));
    return ok();
  }
};
