// Hand-written RapidJSON for the task record: the baseline the typed codecs are measured against.

#include "rapidjson_baseline.hpp"

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace bench::baseline {
namespace {

using JsonValue = rapidjson::Value;

constexpr const char* kStatusNames[] = {"waiting_approval", "queued",   "in_progress", "completed",
                                        "failed",           "rejected", "cancelled"};
constexpr const char* kConfidenceNames[] = {"low", "medium", "high"};

void put(TextWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void put(TextWriter& w, const std::vector<std::string>& list) {
  w.StartArray();
  for (const std::string& s : list)
    put(w, s);
  w.EndArray();
}

void put(TextWriter& w, const std::optional<std::string>& s) {
  if (s) {
    put(w, *s);
  } else {
    w.Null();
  }
}

void put_time(TextWriter& w, opsgraph::TimePoint t) {
  put(w, opsgraph::format_timestamp(t));
}

void put(TextWriter& w, const Route& route) {
  w.StartObject();
  w.Key("category");
  put(w, route.category);
  w.Key("required_agents");
  put(w, route.required_agents);
  w.Key("risk");
  w.StartObject();
  w.Key("level");
  put(w, route.risk.level);
  w.Key("score");
  w.Double(route.risk.score);
  w.Key("reasons");
  put(w, route.risk.reasons);
  w.EndObject();
  w.Key("complexity");
  w.StartObject();
  w.Key("level");
  put(w, route.complexity.level);
  w.Key("score");
  w.Double(route.complexity.score);
  w.EndObject();
  w.Key("requires_approval");
  w.Bool(route.requires_approval);
  w.EndObject();
}

void put(TextWriter& w, const Plan& plan) {
  w.StartObject();
  w.Key("steps");
  put(w, plan.steps);
  w.Key("step_details");
  w.StartArray();
  for (const StepDetail& step : plan.step_details) {
    w.StartObject();
    w.Key("step_number");
    w.Int(step.step_number);
    w.Key("agent");
    put(w, step.agent);
    w.Key("description");
    put(w, step.description);
    w.Key("depends_on");
    w.StartArray();
    for (int d : step.depends_on)
      w.Int(d);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("summary");
  put(w, plan.summary);
  w.Key("hash");
  put(w, plan.hash);
  w.EndObject();
}

void put(TextWriter& w, const Diagnosis& diagnosis) {
  w.StartObject();
  w.Key("problem");
  put(w, diagnosis.problem);
  w.Key("problem_identified");
  w.Bool(diagnosis.problem_identified);
  w.Key("root_cause");
  put(w, diagnosis.root_cause);
  w.Key("evidence");
  put(w, diagnosis.evidence);
  w.Key("solutions");
  w.StartArray();
  for (const Solution& solution : diagnosis.solutions) {
    w.StartObject();
    w.Key("title");
    put(w, solution.title);
    w.Key("description");
    put(w, solution.description);
    w.Key("steps");
    put(w, solution.steps);
    w.Key("confidence");
    w.String(kConfidenceNames[static_cast<int>(solution.confidence)]);
    w.Key("score");
    w.Double(solution.score);
    w.EndObject();
  }
  w.EndArray();
  w.Key("confidence");
  w.Double(diagnosis.confidence);
  w.Key("affected_components");
  put(w, diagnosis.affected_components);
  w.EndObject();
}

void put(TextWriter& w, const Script& script) {
  w.StartObject();
  w.Key("language");
  put(w, script.language);
  w.Key("code");
  put(w, script.code);
  w.Key("rollback_code");
  put(w, script.rollback_code);
  w.Key("lint_passed");
  w.Bool(script.lint_passed);
  w.Key("syntax");
  w.StartObject();
  w.Key("ok");
  w.Bool(script.syntax.ok);
  w.Key("checker");
  put(w, script.syntax.checker);
  w.EndObject();
  w.Key("findings");
  w.StartArray();
  for (const Finding& finding : script.findings) {
    w.StartObject();
    w.Key("rule_id");
    put(w, finding.rule_id);
    w.Key("severity");
    put(w, finding.severity);
    w.Key("line");
    w.Int(finding.line);
    w.Key("message");
    put(w, finding.message);
    w.EndObject();
  }
  w.EndArray();
  w.Key("verification_steps");
  put(w, script.verification_steps);
  w.Key("requires_elevation");
  w.Bool(script.requires_elevation);
  w.Key("hash");
  put(w, script.hash);
  w.EndObject();
}

void put(TextWriter& w, const std::vector<Approval>& approvals) {
  w.StartArray();
  for (const Approval& approval : approvals) {
    w.StartObject();
    w.Key("gate");
    put(w, approval.gate);
    w.Key("actor");
    put(w, approval.actor);
    w.Key("at");
    put_time(w, approval.at);
    w.Key("decision");
    put(w, approval.decision);
    w.Key("hash");
    put(w, approval.hash);
    w.Key("comment");
    put(w, approval.comment);
    w.EndObject();
  }
  w.EndArray();
}

// Reading: each helper checks the member exists and has the right type.

const JsonValue* member(const JsonValue& object, const char* name) {
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

bool get(const JsonValue& o, const char* name, std::string& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsString())
    return false;
  out.assign(v->GetString(), v->GetStringLength());
  return true;
}

bool get(const JsonValue& o, const char* name, std::optional<std::string>& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || v->IsNull()) {
    out.reset();
    return true;
  }
  if (!v->IsString())
    return false;
  out.emplace(v->GetString(), v->GetStringLength());
  return true;
}

bool get(const JsonValue& o, const char* name, double& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsNumber())
    return false;
  out = v->GetDouble();
  return true;
}

bool get(const JsonValue& o, const char* name, bool& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsBool())
    return false;
  out = v->GetBool();
  return true;
}

bool get(const JsonValue& o, const char* name, int& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsInt())
    return false;
  out = v->GetInt();
  return true;
}

bool get(const JsonValue& o, const char* name, std::int64_t& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsInt64())
    return false;
  out = v->GetInt64();
  return true;
}

bool get(const JsonValue& o, const char* name, std::vector<std::string>& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsArray())
    return false;
  out.clear();
  out.reserve(v->Size());
  for (const JsonValue& e : v->GetArray()) {
    if (!e.IsString())
      return false;
    out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return true;
}

bool get_time(const JsonValue& o, const char* name, opsgraph::TimePoint& out) {
  std::string text;
  if (!get(o, name, text))
    return false;
  auto parsed = opsgraph::parse_timestamp(text);
  if (!parsed)
    return false;
  out = parsed.value();
  return true;
}

template <class Enum, std::size_t N>
bool get_enum(const JsonValue& o, const char* name, const char* const (&names)[N], Enum& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsString())
    return false;
  for (std::size_t i = 0; i < N; ++i) {
    if (std::string_view(v->GetString(), v->GetStringLength()) == names[i]) {
      out = static_cast<Enum>(i);
      return true;
    }
  }
  return false;
}

bool get(const JsonValue& o, const char* name, Route& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsObject())
    return false;
  const JsonValue* risk = member(*v, "risk");
  const JsonValue* complexity = member(*v, "complexity");
  return get(*v, "category", out.category) && get(*v, "required_agents", out.required_agents) &&
         risk != nullptr && risk->IsObject() && get(*risk, "level", out.risk.level) &&
         get(*risk, "score", out.risk.score) && get(*risk, "reasons", out.risk.reasons) &&
         complexity != nullptr && complexity->IsObject() &&
         get(*complexity, "level", out.complexity.level) &&
         get(*complexity, "score", out.complexity.score) &&
         get(*v, "requires_approval", out.requires_approval);
}

bool get(const JsonValue& o, const char* name, Plan& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsObject())
    return false;
  if (!get(*v, "steps", out.steps) || !get(*v, "summary", out.summary) ||
      !get(*v, "hash", out.hash)) {
    return false;
  }
  const JsonValue* details = member(*v, "step_details");
  if (details == nullptr || !details->IsArray())
    return false;
  out.step_details.clear();
  for (const JsonValue& d : details->GetArray()) {
    if (!d.IsObject())
      return false;
    StepDetail& step = out.step_details.emplace_back();
    if (!get(d, "step_number", step.step_number) || !get(d, "agent", step.agent) ||
        !get(d, "description", step.description)) {
      return false;
    }
    if (const JsonValue* deps = member(d, "depends_on")) {
      if (!deps->IsArray())
        return false;
      for (const JsonValue& dep : deps->GetArray()) {
        if (!dep.IsInt())
          return false;
        step.depends_on.push_back(dep.GetInt());
      }
    }
  }
  return true;
}

bool get(const JsonValue& o, const char* name, Diagnosis& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsObject())
    return false;
  if (!get(*v, "problem", out.problem) || !get(*v, "problem_identified", out.problem_identified) ||
      !get(*v, "root_cause", out.root_cause) || !get(*v, "evidence", out.evidence) ||
      !get(*v, "confidence", out.confidence) ||
      !get(*v, "affected_components", out.affected_components)) {
    return false;
  }
  const JsonValue* solutions = member(*v, "solutions");
  if (solutions == nullptr || !solutions->IsArray())
    return false;
  out.solutions.clear();
  for (const JsonValue& s : solutions->GetArray()) {
    if (!s.IsObject())
      return false;
    Solution& solution = out.solutions.emplace_back();
    if (!get(s, "title", solution.title) || !get(s, "description", solution.description) ||
        !get(s, "steps", solution.steps) ||
        !get_enum(s, "confidence", kConfidenceNames, solution.confidence) ||
        !get(s, "score", solution.score)) {
      return false;
    }
  }
  return true;
}

bool get(const JsonValue& o, const char* name, Script& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsObject())
    return false;
  const JsonValue* syntax = member(*v, "syntax");
  if (!get(*v, "language", out.language) || !get(*v, "code", out.code) ||
      !get(*v, "rollback_code", out.rollback_code) || !get(*v, "lint_passed", out.lint_passed) ||
      syntax == nullptr || !syntax->IsObject() || !get(*syntax, "ok", out.syntax.ok) ||
      !get(*syntax, "checker", out.syntax.checker) ||
      !get(*v, "verification_steps", out.verification_steps) ||
      !get(*v, "requires_elevation", out.requires_elevation) || !get(*v, "hash", out.hash)) {
    return false;
  }
  const JsonValue* findings = member(*v, "findings");
  if (findings == nullptr || !findings->IsArray())
    return false;
  out.findings.clear();
  for (const JsonValue& f : findings->GetArray()) {
    if (!f.IsObject())
      return false;
    Finding& finding = out.findings.emplace_back();
    if (!get(f, "rule_id", finding.rule_id) || !get(f, "severity", finding.severity) ||
        !get(f, "line", finding.line) || !get(f, "message", finding.message)) {
      return false;
    }
  }
  return true;
}

bool get(const JsonValue& o, const char* name, std::vector<Approval>& out) {
  const JsonValue* v = member(o, name);
  if (v == nullptr || !v->IsArray())
    return false;
  out.clear();
  for (const JsonValue& a : v->GetArray()) {
    if (!a.IsObject())
      return false;
    Approval& approval = out.emplace_back();
    if (!get(a, "gate", approval.gate) || !get(a, "actor", approval.actor) ||
        !get_time(a, "at", approval.at) || !get(a, "decision", approval.decision) ||
        !get(a, "hash", approval.hash) || !get(a, "comment", approval.comment)) {
      return false;
    }
  }
  return true;
}

bool get(const JsonValue& o, const char* name, Usage& out) {
  const JsonValue* v = member(o, name);
  return v != nullptr && v->IsObject() && get(*v, "llm_calls", out.llm_calls) &&
         get(*v, "prompt_tokens", out.prompt_tokens) &&
         get(*v, "completion_tokens", out.completion_tokens) &&
         get(*v, "llm_seconds", out.llm_seconds);
}

}  // namespace

void write(TextWriter& w, const TaskRecord& record) {
  w.StartObject();
  w.Key("task_id");
  put(w, record.task_id);
  w.Key("status");
  w.String(kStatusNames[static_cast<int>(record.status)]);
  w.Key("stage");
  put(w, record.stage);
  w.Key("version");
  w.Int64(record.version);
  w.Key("request");
  put(w, record.request);
  w.Key("created_at");
  put_time(w, record.created_at);
  w.Key("updated_at");
  put_time(w, record.updated_at);
  w.Key("route");
  put(w, record.route);
  w.Key("plan");
  put(w, record.plan);
  w.Key("diagnosis");
  put(w, record.diagnosis);
  w.Key("script");
  put(w, record.script);
  w.Key("approvals");
  put(w, record.approvals);
  w.Key("email_draft");
  put(w, record.email_draft);
  w.Key("usage");
  w.StartObject();
  w.Key("llm_calls");
  w.Int(record.usage.llm_calls);
  w.Key("prompt_tokens");
  w.Int64(record.usage.prompt_tokens);
  w.Key("completion_tokens");
  w.Int64(record.usage.completion_tokens);
  w.Key("llm_seconds");
  w.Double(record.usage.llm_seconds);
  w.EndObject();
  w.Key("duration_seconds");
  w.Double(record.duration_seconds);
  w.EndObject();
}

bool read(std::string_view text, TaskRecord& out) {
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject())
    return false;
  return get(doc, "task_id", out.task_id) && get_enum(doc, "status", kStatusNames, out.status) &&
         get(doc, "stage", out.stage) && get(doc, "version", out.version) &&
         get(doc, "request", out.request) && get_time(doc, "created_at", out.created_at) &&
         get_time(doc, "updated_at", out.updated_at) && get(doc, "route", out.route) &&
         get(doc, "plan", out.plan) && get(doc, "diagnosis", out.diagnosis) &&
         get(doc, "script", out.script) && get(doc, "approvals", out.approvals) &&
         get(doc, "email_draft", out.email_draft) && get(doc, "usage", out.usage) &&
         get(doc, "duration_seconds", out.duration_seconds);
}

}  // namespace bench::baseline
