// The hashes a human approves by, and the one-string email: derived values of the agents' output.

#include <opsgraph/agents/documents.hpp>
#include <opsgraph/agents/plan.hpp>
#include <opsgraph/agents/script.hpp>
#include <opsgraph/core/json_writer.hpp>
#include <opsgraph/core/sha256.hpp>

namespace opsgraph::agents {

std::string plan_hash(const Plan& plan) {
  // The canonical form: the plan's own JSON with the hash member left out, so the hash of a plan
  // does not depend on the hash it already carries.
  Plan canonical = plan;
  canonical.hash.clear();
  return content_hash(json::encode(canonical));
}

std::string script_hash(const ScriptDraft& draft) {
  json::Writer writer;
  writer.begin_object();
  writer.key("language");
  json::write(writer, draft.language);
  writer.key("code");
  writer.string(draft.code);
  writer.key("rollback_code");
  json::write(writer, draft.rollback_code);
  writer.end_object();
  return content_hash(writer.take());
}

std::string email_draft(const Email& email) {
  return "Subject: " + email.subject + "\n\n" + email.body;
}

}  // namespace opsgraph::agents
