#pragma once
// The built-in agents' prompts and schemas, compiled in from data/prompts and data/schemas.

#include <string_view>

namespace opsgraph::embedded {

std::string_view planner_prompt() noexcept;
std::string_view diagnostic_prompt() noexcept;
std::string_view automation_prompt() noexcept;
std::string_view writer_prompt() noexcept;
std::string_view planner_schema() noexcept;
std::string_view diagnosis_schema() noexcept;
std::string_view script_schema() noexcept;
std::string_view documents_schema() noexcept;

}  // namespace opsgraph::embedded
