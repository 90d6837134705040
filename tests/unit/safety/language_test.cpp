#include <gtest/gtest.h>

#include <opsgraph/core/json_codec.hpp>
#include <opsgraph/safety/language.hpp>

namespace opsgraph::safety {
namespace {

TEST(Language, ParsesNamesAndAliasesInAnyCase) {
  EXPECT_EQ(parse_language("bash").value(), Language::bash);
  EXPECT_EQ(parse_language("SH").value(), Language::bash);
  EXPECT_EQ(parse_language("PowerShell").value(), Language::powershell);
  EXPECT_EQ(parse_language("pwsh").value(), Language::powershell);
  EXPECT_EQ(parse_language("py").value(), Language::python);
  EXPECT_EQ(parse_language("az").value(), Language::azurecli);
}

TEST(Language, RejectsUnknownNamesSayingWhatIsAccepted) {
  const auto parsed = parse_language("cobol");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, errc::invalid_argument);
  EXPECT_NE(parsed.error().message.find("expected bash, powershell"), std::string::npos);
}

TEST(Language, RoundTripsThroughJson) {
  EXPECT_EQ(json::encode(Language::azurecli), "\"azurecli\"");
  EXPECT_EQ(json::decode<Language>("\"python\"").value(), Language::python);
  EXPECT_EQ(to_string(Language::powershell), "powershell");
}

}  // namespace
}  // namespace opsgraph::safety
