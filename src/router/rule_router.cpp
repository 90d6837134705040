#include <opsgraph/router/rule_router.hpp>
#include <string>
#include <utility>

#include "router/evaluate.hpp"
#include "router/normalizer.hpp"
#include "router/pattern_set.hpp"

namespace opsgraph::router {

struct RuleRouter::Impl {
  Impl(RuleSet rules_in, RouterOptions options_in, detail::Normalizer normalizer_in,
       detail::PatternSet patterns_in)
      : rules(std::move(rules_in)),
        options(options_in),
        normalizer(std::move(normalizer_in)),
        patterns(std::move(patterns_in)),
        evaluator(rules.file()) {}
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  RuleSet rules;
  RouterOptions options;
  detail::Normalizer normalizer;
  detail::PatternSet patterns;
  detail::Evaluator evaluator;  // refers to rules.file(), hence no copies
};

namespace {

// The context's string values (nested ones too): they are user text like the request.
void collect_strings(const json::Value& value, std::vector<std::string_view>& out) {
  if (const std::string* s = value.if_string()) {
    out.push_back(*s);
  } else if (const json::Object* object = value.if_object()) {
    for (const auto& [key, member] : *object)
      collect_strings(member, out);
  } else if (const json::Array* array = value.if_array()) {
    for (const json::Value& element : *array)
      collect_strings(element, out);
  }
}

result<std::vector<std::string_view>> context_texts(const json::Value& context,
                                                    const RouterOptions& options) {
  if (!context.is_null() && !context.is_object())
    return fail(errc::invalid_argument, "request context must be a JSON object");
  std::vector<std::string_view> texts;
  collect_strings(context, texts);
  std::size_t bytes = 0;
  for (std::string_view text : texts)
    bytes += text.size();
  if (bytes > options.max_context_bytes) {
    return fail(errc::payload_too_large, "request context holds " + std::to_string(bytes) +
                                             " bytes of text; the limit is " +
                                             std::to_string(options.max_context_bytes));
  }
  return texts;
}

void add_counts(detail::NormalizedText& total, const detail::NormalizedText& part) {
  total.invisible_removed += part.invisible_removed;
  total.compatibility_mapped += part.compatibility_mapped;
  total.lookalikes_mapped += part.lookalikes_mapped;
}

}  // namespace

RuleRouter::RuleRouter(std::shared_ptr<const Impl> impl) noexcept : impl_(std::move(impl)) {}
RuleRouter::~RuleRouter() = default;

result<RuleRouter> RuleRouter::create(RuleSet rules, RouterOptions options) {
  try {
    OPSGRAPH_TRY(detail::Normalizer normalizer, detail::Normalizer::create());
    OPSGRAPH_TRY(detail::PatternSet patterns,
                 detail::PatternSet::compile(rules.file(), normalizer));
    return RuleRouter(std::make_shared<const Impl>(std::move(rules), options, std::move(normalizer),
                                                   std::move(patterns)));
  } catch (...) {
    return fail(error_from_current_exception("RuleRouter::create"));
  }
}

result<RouteDecision> RuleRouter::route(std::string_view request, const RouteHints& hints) const {
  const Impl& impl = *impl_;
  if (request.size() > impl.options.max_request_bytes) {
    return fail(errc::payload_too_large, "request is " + std::to_string(request.size()) +
                                             " bytes; the limit is " +
                                             std::to_string(impl.options.max_request_bytes));
  }
  if (request.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return fail(errc::invalid_argument, "request is empty");
  OPSGRAPH_TRY(auto context, context_texts(hints.context, impl.options));

  try {
    OPSGRAPH_TRY(detail::NormalizedText normalized, impl.normalizer.normalize(request));
    // The request is scanned together with the context, one text per line, so that rules
    // combining words (a change verb here, "production" there) see both.
    std::string scanned = normalized.text;
    for (std::string_view text : context) {
      OPSGRAPH_TRY(detail::NormalizedText part, impl.normalizer.normalize(text));
      add_counts(normalized, part);
      scanned += '\n';
      scanned += part.text;
    }
    OPSGRAPH_TRY(std::vector<bool> matched, impl.patterns.match(scanned));
    detail::Observation seen{std::move(matched), normalized.text, normalized};
    return impl.evaluator.decide(seen, hints);
  } catch (...) {
    return fail(error_from_current_exception("RuleRouter::route"));
  }
}

const RuleSet& RuleRouter::rules() const noexcept {
  return impl_->rules;
}

}  // namespace opsgraph::router
