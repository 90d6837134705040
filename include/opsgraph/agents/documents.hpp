#pragma once
// opsgraph::agents::Documents — what the writer agent produces from the diagnosis and the final
// script: an email (and the same email as one string with a Subject line, for clients that
// expect `email_draft`), a summary, a Markdown report and action items. Plain values with JSON
// codecs (snake_case).

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/export.hpp>
#include <optional>
#include <string>
#include <vector>

namespace opsgraph::agents {

struct Email {
  std::string subject;
  std::string body;
  friend bool operator==(const Email&, const Email&) = default;
};

enum class Priority { low, medium, high };

struct ActionItem {
  std::string description;
  /// A team or role ("ops", "dba"), never invented personal names.
  std::string owner;
  /// An ISO date (YYYY-MM-DD) or empty when no date applies.
  std::string due;
  Priority priority = Priority::medium;
  friend bool operator==(const ActionItem&, const ActionItem&) = default;
};

/// The writer agent's answer.
struct Documents {
  /// nullopt when the request declined an email.
  std::optional<Email> email;
  std::string summary;
  std::string report_markdown;
  std::vector<ActionItem> action_items;
  friend bool operator==(const Documents&, const Documents&) = default;
};

/// "Subject: <subject>\n\n<body>": the email as one string.
OPSGRAPH_API std::string email_draft(const Email& email);

}  // namespace opsgraph::agents

template <>
struct opsgraph::json::Schema<opsgraph::agents::Email> {
  using T = opsgraph::agents::Email;
  static constexpr auto fields =
      std::make_tuple(json::field("subject", &T::subject), json::field("body", &T::body));
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::Priority> {
  static constexpr auto names =
      json::enum_names<opsgraph::agents::Priority>({{opsgraph::agents::Priority::low, "low"},
                                                    {opsgraph::agents::Priority::medium, "medium"},
                                                    {opsgraph::agents::Priority::high, "high"}});
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::ActionItem> {
  using T = opsgraph::agents::ActionItem;
  static constexpr auto fields = std::make_tuple(
      json::field("description", &T::description), json::optional_field("owner", &T::owner),
      json::optional_field("due", &T::due), json::optional_field("priority", &T::priority));
};

template <>
struct opsgraph::json::Schema<opsgraph::agents::Documents> {
  using T = opsgraph::agents::Documents;
  static constexpr auto fields =
      std::make_tuple(json::optional_field("email", &T::email), json::field("summary", &T::summary),
                      json::optional_field("report_markdown", &T::report_markdown),
                      json::optional_field("action_items", &T::action_items));
};
