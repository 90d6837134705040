// Routing cost per request, 200-byte and 2 KB texts: RuleRouter::route end to end (normalisation,
// one RE2::Set scan, rule evaluation) against a naive loop that tries each rule's patterns one by
// one with its own RE2 (the same rules, the same normalised text), plus normalisation alone.
#include <benchmark/benchmark.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <memory>
#include <opsgraph/router/normalize.hpp>
#include <opsgraph/router/rule_router.hpp>
#include <string>
#include <vector>

namespace {

using opsgraph::router::RuleRouter;
using opsgraph::router::RuleSet;
using opsgraph::router::TextNormalizer;

// About 200 bytes, one request; the 2 KB text is a long ticket made of ten such paragraphs.
constexpr std::string_view kShort =
    "APP01 has been at 100% CPU since the patch on Tuesday. Find out why, give me a PowerShell "
    "script to collect perfmon counters, and draft an email to the app team with the findings.";

constexpr std::string_view kParagraphs[] = {
    "Users report that the payroll portal on web-prod-04 times out every morning around 09:00. ",
    "The IIS logs show HTTP 503 errors and the app pool recycles twice an hour since the update. ",
    "Please check the event logs on the server and the SQL connection pool on sql-prod-02. ",
    "We suspect the nightly ETL job is still running when people log in; confirm with wait stats. ",
    "If the ETL overlaps, suggest a schedule change but do not change anything yet, read-only. ",
    "Also look at disk latency on the SAN volume that hosts the tempdb files, it grew last week. ",
    "The backup job on BKP01 failed twice with error 0x80070005; find out whether it is related. ",
    "Summarize the root cause, the evidence and two or three options with their risks. ",
    "Draft an email to the payroll team and the service desk with the findings and next steps. ",
    "Finally, prepare a short report for the weekly operations meeting with a timeline. ",
};

std::string long_text() {
  std::string text;
  while (text.size() < 2000) {
    for (std::string_view p : kParagraphs)
      text += p;
  }
  text.resize(2000);
  return text;
}

std::string text_for(std::int64_t bytes) {
  return bytes <= 200 ? std::string(kShort) : long_text();
}

const RuleRouter& router() {
  static const RuleRouter instance = RuleRouter::create(RuleSet::defaults().value()).value();
  return instance;
}

const TextNormalizer& normalizer() {
  static const TextNormalizer instance = TextNormalizer::create().value();
  return instance;
}

// The baseline: every keyword and pattern of every rule compiled on its own, tried in turn. The
// keyword form is the router's (escaped, word-bounded, stems open); it has to be rebuilt here
// because the router's compiler is internal.
std::string naive_keyword(const std::string& keyword) {
  std::string folded = normalizer().normalize(keyword).value().text;
  const bool open_end = !folded.empty() && folded.back() == '*';
  if (open_end)
    folded.pop_back();
  std::string pattern = R"(\b)" + RE2::QuoteMeta(folded);
  if (!open_end)
    pattern += R"(\b)";
  return pattern;
}

struct NaiveRules {
  std::vector<std::vector<std::unique_ptr<RE2>>> per_rule;
  std::size_t patterns = 0;
};

const NaiveRules& naive_rules() {
  static const NaiveRules rules = [] {
    NaiveRules out;
    RE2::Options options;
    options.set_log_errors(false);
    const RuleSet defaults = RuleSet::defaults().value();
    for (const auto& rule : defaults.file().rules) {
      auto& compiled = out.per_rule.emplace_back();
      for (const auto& keyword : rule.keywords)
        compiled.push_back(std::make_unique<RE2>(naive_keyword(keyword), options));
      for (const auto& pattern : rule.patterns)
        compiled.push_back(std::make_unique<RE2>(pattern, options));
      out.patterns += compiled.size();
    }
    return out;
  }();
  return rules;
}

// Which rules matched, rule by rule, pattern by pattern (stopping at a rule's first hit).
std::vector<bool> naive_match(std::string_view text) {
  const NaiveRules& rules = naive_rules();
  std::vector<bool> matched(rules.per_rule.size(), false);
  for (std::size_t i = 0; i < rules.per_rule.size(); ++i) {
    for (const auto& regex : rules.per_rule[i]) {
      if (RE2::PartialMatch(text, *regex)) {
        matched[i] = true;
        break;
      }
    }
  }
  return matched;
}

void BM_RuleRouter(benchmark::State& state) {
  const std::string text = text_for(state.range(0));
  for (auto _ : state) {
    auto decision = router().route(text);
    benchmark::DoNotOptimize(decision);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_RuleRouter)->Arg(200)->Arg(2000);

void BM_NaiveLoop(benchmark::State& state) {
  const std::string text = text_for(state.range(0));
  state.counters["patterns"] = static_cast<double>(naive_rules().patterns);
  for (auto _ : state) {
    auto normalized = normalizer().normalize(text);
    auto matched = naive_match(normalized.value().text);
    benchmark::DoNotOptimize(matched);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_NaiveLoop)->Arg(200)->Arg(2000);

// A cheaper naive baseline: each rule's keywords looked up with std::string_view::find, one by
// one (no word boundaries, regex patterns left out), over the same normalised text.
void BM_NaiveFindLoop(benchmark::State& state) {
  static const std::vector<std::vector<std::string>> keywords = [] {
    std::vector<std::vector<std::string>> out;
    const RuleSet defaults = RuleSet::defaults().value();
    for (const auto& rule : defaults.file().rules) {
      auto& words = out.emplace_back();
      for (const auto& keyword : rule.keywords) {
        std::string folded = normalizer().normalize(keyword).value().text;
        if (!folded.empty() && folded.back() == '*')
          folded.pop_back();
        words.push_back(std::move(folded));
      }
    }
    return out;
  }();
  const std::string text = text_for(state.range(0));
  for (auto _ : state) {
    const std::string normalized = normalizer().normalize(text).value().text;
    std::vector<bool> matched(keywords.size(), false);
    for (std::size_t i = 0; i < keywords.size(); ++i) {
      for (const auto& word : keywords[i]) {
        if (std::string_view(normalized).find(word) != std::string_view::npos) {
          matched[i] = true;
          break;
        }
      }
    }
    benchmark::DoNotOptimize(matched);
  }
}
BENCHMARK(BM_NaiveFindLoop)->Arg(200)->Arg(2000);

// The same patterns in one RE2::Set, scanned once: the matching share of BM_RuleRouter.
void BM_SetScanOnly(benchmark::State& state) {
  static const std::unique_ptr<RE2::Set> set = [] {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(int64_t{64} << 20);
    auto built = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
    for (const auto& rule : naive_rules().per_rule) {
      for (const auto& regex : rule)
        built->Add(regex->pattern(), nullptr);
    }
    built->Compile();
    return built;
  }();
  const std::string text = normalizer().normalize(text_for(state.range(0))).value().text;
  std::vector<int> hits;
  for (auto _ : state) {
    set->Match(text, &hits);
    benchmark::DoNotOptimize(hits);
  }
}
BENCHMARK(BM_SetScanOnly)->Arg(200)->Arg(2000);

void BM_Normalize(benchmark::State& state) {
  const std::string text = text_for(state.range(0));
  for (auto _ : state) {
    auto normalized = normalizer().normalize(text);
    benchmark::DoNotOptimize(normalized);
  }
}
BENCHMARK(BM_Normalize)->Arg(200)->Arg(2000);

// A German request with umlauts and a lookalike letter: the ICU path instead of the ASCII one.
void BM_Normalize_NonAscii(benchmark::State& state) {
  const std::string text =
      "Bitte prüfe, warum der Dateiserver FS02 seit dem Update so langsam ist, und lösche danach "
      "die alten Schattenkopien. Schreib mir dazu ein kurzes PowerShell-Skript und eine "
      "Zusammenfassung für das Team, ohne E-Mail. d\u0435lete";
  for (auto _ : state) {
    auto normalized = normalizer().normalize(text);
    benchmark::DoNotOptimize(normalized);
  }
}
BENCHMARK(BM_Normalize_NonAscii);

}  // namespace
