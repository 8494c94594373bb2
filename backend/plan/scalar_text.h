// Scalar text helpers shared by rendering (render.cc) and conditions (conditions.cc): decimal
// integers and numbers as §5.3 and §6.1 read them, and the text of a JSON scalar as templates print it.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ork::plan {

/// A decimal integer with an optional sign that fits int64 ("42", "-7"); no surrounding space.
std::optional<int64_t> parseIntText(std::string_view text);
/// A finite decimal number ("1.5", "1e3", "-2"); not "inf", "nan" or hex floats.
std::optional<double> parseDecimalText(std::string_view text);
/// A JSON scalar as a template prints it (strings as is, numbers in Go's form, booleans, null as "");
/// nullopt for maps and lists.
std::optional<std::string> scalarText(const nlohmann::json& v);

}  // namespace ork::plan
