// Runs the ScriptChecker with its real tools over the labelled corpus in tests/data/scripts and
// holds it to its targets: recall of the labelled categories on dangerous and obfuscated scripts,
// false positives on benign and lookalike ones, and agreement of the syntax verdict.

#include <gtest/gtest.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/safety/script_checker.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace opsgraph::safety {
namespace {

struct Label {
  std::string file;
  Language language = Language::bash;
  std::string kind;
  std::vector<std::string> categories;
  bool syntax_ok = true;
};

}  // namespace
}  // namespace opsgraph::safety

template <>
struct opsgraph::json::Schema<opsgraph::safety::Label> {
  using Label = opsgraph::safety::Label;
  static constexpr auto fields = std::make_tuple(
      json::field("file", &Label::file), json::field("language", &Label::language),
      json::field("kind", &Label::kind), json::field("categories", &Label::categories),
      json::field("syntax_ok", &Label::syntax_ok));
};

namespace opsgraph::safety {
namespace {

const std::string kScripts = std::string(OPSGRAPH_TEST_DATA_DIR) + "/scripts/";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<Label> read_labels() {
  std::vector<Label> labels;
  std::istringstream lines(read_text(kScripts + "labels.jsonl"));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty())
      continue;
    auto label = json::decode<Label>(line);
    EXPECT_TRUE(label) << line << ": " << label.error().message;
    if (label)
      labels.push_back(std::move(label).value());
  }
  return labels;
}

struct CategoryCounts {
  int labelled = 0;        // (dangerous or obfuscated script, category) pairs
  int found = 0;           // of those, reported
  int reported = 0;        // scripts where the category was reported at medium or above
  int reported_right = 0;  // of those, scripts labelled with it
};

bool is_security(const Finding& finding) {
  return finding.category != "lint";
}

TEST(Corpus, MeetsRecallFalsePositiveAndSyntaxTargets) {
  const std::vector<Label> labels = read_labels();
  if (labels.empty())
    GTEST_SKIP() << "no labelled corpus at " << kScripts;
  auto checker = ScriptChecker::create();
  ASSERT_TRUE(checker) << checker.error().message;

  std::map<std::string, CategoryCounts> by_category;
  int pairs = 0;
  int pairs_found = 0;
  int clean_scripts = 0;
  int false_positives = 0;
  int syntax_agree = 0;
  for (const Label& label : labels) {
    const std::string script = read_text(kScripts + label.file);
    auto report = checker.value().check(script, label.language);
    ASSERT_TRUE(report) << label.file << ": " << report.error().message;
    std::set<std::string> reported;
    std::set<std::string> reported_blocking;
    for (const Finding& finding : report.value().findings) {
      if (!is_security(finding))
        continue;
      reported.insert(finding.category);
      if (finding.severity >= Severity::medium)
        reported_blocking.insert(finding.category);
    }
    for (const std::string& category : reported_blocking) {
      ++by_category[category].reported;
      if (std::find(label.categories.begin(), label.categories.end(), category) !=
          label.categories.end())
        ++by_category[category].reported_right;
    }
    if (report.value().syntax.ok == label.syntax_ok) {
      ++syntax_agree;
    } else {
      ADD_FAILURE() << label.file << ": syntax.ok is " << report.value().syntax.ok << " ("
                    << report.value().syntax.checker << "), labelled " << label.syntax_ok;
    }
    if (label.kind == "dangerous" || label.kind == "obfuscated") {
      for (const std::string& category : label.categories) {
        CategoryCounts& counts = by_category[category];
        ++counts.labelled;
        ++pairs;
        if (reported.count(category) != 0) {
          ++counts.found;
          ++pairs_found;
        } else {
          std::cout << "  missed: " << label.file << " " << category << "\n";
        }
      }
    } else if (label.kind == "benign" || label.kind == "lookalike") {
      ++clean_scripts;
      if (!reported_blocking.empty()) {
        ++false_positives;
        for (const Finding& finding : report.value().findings) {
          if (is_security(finding) && finding.severity >= Severity::medium)
            std::cout << "  false positive: " << label.file << ":" << finding.line << " "
                      << finding.rule << " (" << finding.excerpt << ")\n";
        }
      }
    }
  }

  std::cout << std::left << std::setw(24) << "category" << std::right << std::setw(10)
            << "precision" << std::setw(10) << "recall" << std::setw(8) << "found"
            << "\n";
  for (const auto& [category, counts] : by_category) {
    const double precision =
        counts.reported == 0 ? 1.0 : double(counts.reported_right) / counts.reported;
    const double recall = counts.labelled == 0 ? 1.0 : double(counts.found) / counts.labelled;
    std::cout << std::left << std::setw(24) << category << std::right << std::fixed
              << std::setprecision(2) << std::setw(10) << precision << std::setw(10) << recall
              << std::setw(5) << counts.found << "/" << counts.labelled << "\n";
  }
  const double recall = pairs == 0 ? 1.0 : double(pairs_found) / pairs;
  const double false_positive_rate =
      clean_scripts == 0 ? 0.0 : double(false_positives) / clean_scripts;
  std::cout << "recall " << pairs_found << "/" << pairs << " = " << recall << "; false positives "
            << false_positives << "/" << clean_scripts << " = " << false_positive_rate
            << "; syntax agreement " << syntax_agree << "/" << labels.size() << "\n";
  EXPECT_GE(recall, 0.95);
  EXPECT_LE(false_positive_rate, 0.05);
  EXPECT_EQ(syntax_agree, static_cast<int>(labels.size()));
}

}  // namespace
}  // namespace opsgraph::safety
