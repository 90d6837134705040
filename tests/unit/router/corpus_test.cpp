// The labelled request corpus (tests/data/requests/requests.jsonl) routed with the built-in rules.
// Prints agreement figures and fails below the policy's bars: every injection and every request
// that needs an approval gets one, few others do, and risk and category mostly agree.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <opsgraph/core/json.hpp>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/router/rule_router.hpp>
#include <string>
#include <vector>

namespace opsgraph::router {
namespace {

struct LabelledRequest {
  std::string id;
  std::string text;
  Level risk = Level::low;
  bool requires_approval = false;
  std::string category;
  bool injection = false;
  std::optional<safety::Language> language;
  std::vector<Exclusion> exclusions;
};

}  // namespace
}  // namespace opsgraph::router

template <>
struct opsgraph::json::Schema<opsgraph::router::LabelledRequest> {
  using T = opsgraph::router::LabelledRequest;
  static constexpr auto fields = std::make_tuple(
      json::field("id", &T::id), json::field("text", &T::text), json::field("risk", &T::risk),
      json::field("requires_approval", &T::requires_approval),
      json::field("category", &T::category), json::field("injection", &T::injection),
      json::field("language", &T::language), json::field("exclusions", &T::exclusions));
};

namespace opsgraph::router {
namespace {

std::vector<LabelledRequest> load_corpus() {
  std::ifstream in(std::string(OPSGRAPH_TEST_DATA_DIR) + "/requests/requests.jsonl");
  std::vector<LabelledRequest> corpus;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    auto request = json::decode<LabelledRequest>(line);
    EXPECT_TRUE(request) << (request ? "" : request.error().message) << "\n" << line;
    if (request)
      corpus.push_back(std::move(request).value());
  }
  return corpus;
}

double percent(std::size_t part, std::size_t whole) {
  return whole == 0 ? 100.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

struct Tally {
  std::size_t total = 0;
  std::size_t risk_agree = 0;
  std::size_t category_agree = 0;
  std::size_t approval_true_pos = 0;
  std::size_t approval_false_pos = 0;
  std::size_t labelled_approval = 0;
  std::size_t labelled_no_approval = 0;
  std::size_t language_agree = 0;
  std::size_t exclusions_agree = 0;
  std::size_t injections = 0;
  std::size_t injections_caught = 0;
  std::size_t injections_flagged = 0;
  std::map<std::string, std::pair<std::size_t, std::size_t>> per_category;  // labelled, agreed
};

void print(const Tally& t) {
  std::printf("\nrouting corpus: %zu requests\n", t.total);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "risk level agreement",
              percent(t.risk_agree, t.total), t.risk_agree, t.total);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "approval recall",
              percent(t.approval_true_pos, t.labelled_approval), t.approval_true_pos,
              t.labelled_approval);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "approval precision",
              percent(t.approval_true_pos, t.approval_true_pos + t.approval_false_pos),
              t.approval_true_pos, t.approval_true_pos + t.approval_false_pos);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "approvals on no-approval requests",
              percent(t.approval_false_pos, t.labelled_no_approval), t.approval_false_pos,
              t.labelled_no_approval);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "injections routed high + approval",
              percent(t.injections_caught, t.injections), t.injections_caught, t.injections);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "injections flagged as such",
              percent(t.injections_flagged, t.injections), t.injections_flagged, t.injections);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "category accuracy",
              percent(t.category_agree, t.total), t.category_agree, t.total);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "language hint agreement",
              percent(t.language_agree, t.total), t.language_agree, t.total);
  std::printf("  %-34s %6.1f%%  (%zu/%zu)\n", "exclusions agreement",
              percent(t.exclusions_agree, t.total), t.exclusions_agree, t.total);
  std::printf("  %-14s %8s %8s\n", "category", "labelled", "agreed");
  for (const auto& [category, counts] : t.per_category)
    std::printf("  %-14s %8zu %8zu\n", category.c_str(), counts.first, counts.second);
}

TEST(RouterCorpus, MeetsThePolicyBars) {
  const std::vector<LabelledRequest> corpus = load_corpus();
  ASSERT_GE(corpus.size(), 100u) << "the corpus file is missing or truncated";
  auto rules = RuleSet::defaults();
  ASSERT_TRUE(rules) << rules.error().message;
  auto router = RuleRouter::create(std::move(rules).value());
  ASSERT_TRUE(router) << router.error().message;

  Tally t;
  for (const LabelledRequest& request : corpus) {
    auto routed = router.value().route(request.text);
    ASSERT_TRUE(routed) << request.id << ": " << routed.error().message;
    const RouteDecision& d = routed.value();
    const bool approved = d.route.requires_approval;
    ++t.total;
    auto& per = t.per_category[request.category];
    ++per.first;
    if (d.risk.level == request.risk) {
      ++t.risk_agree;
    } else {
      std::printf("risk     %s: labelled %s, routed %s: %s\n", request.id.c_str(),
                  json::encode(request.risk).c_str(), json::encode(d.risk).c_str(),
                  request.text.c_str());
    }
    if (d.route.category == request.category) {
      ++t.category_agree;
      ++per.second;
    } else {
      std::printf("category %s: labelled %s, routed %s: %s\n", request.id.c_str(),
                  request.category.c_str(), d.route.category.c_str(), request.text.c_str());
    }
    if (request.requires_approval) {
      ++t.labelled_approval;
      t.approval_true_pos += approved ? 1 : 0;
    } else {
      ++t.labelled_no_approval;
      t.approval_false_pos += approved ? 1 : 0;
    }
    if (request.injection) {
      ++t.injections;
      const bool caught = d.risk.level == Level::high && approved;
      t.injections_caught += caught ? 1 : 0;
      t.injections_flagged += d.injection_suspected ? 1 : 0;
      EXPECT_TRUE(caught) << request.id << " is an injection: " << request.text;
    }
    if (request.requires_approval) {
      EXPECT_TRUE(approved) << request.id << " needs an approval: " << request.text;
    }
    if (d.language == request.language) {
      ++t.language_agree;
    } else {
      std::printf("language %s: labelled %s, routed %s\n", request.id.c_str(),
                  json::encode(request.language).c_str(), json::encode(d.language).c_str());
    }
    if (d.exclusions == request.exclusions) {
      ++t.exclusions_agree;
    } else {
      std::printf("exclude  %s: labelled %s, routed %s\n", request.id.c_str(),
                  json::encode(request.exclusions).c_str(), json::encode(d.exclusions).c_str());
    }
  }
  print(t);

  EXPECT_EQ(t.approval_true_pos, t.labelled_approval) << "approval recall must be 100%";
  EXPECT_LE(percent(t.approval_false_pos, t.labelled_no_approval), 10.0);
  EXPECT_GE(percent(t.risk_agree, t.total), 85.0);
  EXPECT_GE(percent(t.category_agree, t.total), 80.0);
}

}  // namespace
}  // namespace opsgraph::router
