// Block YAML of JSON values for `ork template`: deterministic (sorted keys), and every string that a
// YAML 1.1 or 1.2 reader would take for another type is quoted, so the output reads back as its JSON.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace ork::cli {

/// Appends `v` as one YAML document body (no `---`) to `out`, ending in a newline. Maps print one key
/// per line in key order; lists sit at their key's indentation (as kubectl writes them); empty maps and
/// lists print as `{}` and `[]`. Strings print plain when safe, multi-line strings as literal blocks
/// (`|`, `|-`), strings a reader would resolve as another type (`"true"`, `"1.0"`, `"2025-01-01"`,
/// `"0x1F"`, `"on"`, `"~"`) single-quoted, and strings with control characters double-quoted.
void emitYamlDocument(const nlohmann::json& v, std::string& out);

/// The YAML form of one string scalar (plain, single- or double-quoted; never a block).
std::string yamlQuotedString(const std::string& s);

}  // namespace ork::cli
