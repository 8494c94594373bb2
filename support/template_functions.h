// Internal interface between the template evaluator and its function catalog (FORMATS.md §7.2, §7.3).
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/template.h"

namespace ork::tmpl {

/// What catalog functions may use besides their arguments.
struct FunctionEnv {
  const Clock& clock;
  RandomSource& random;
};

/// One function of the table: its name, argument count range (maxArgs -1: any) and body. Bodies
/// get evaluated arguments, the piped value last, and report errors at `offset`.
struct FunctionSpec {
  const char* name;
  int minArgs;
  int maxArgs;
  Result<nlohmann::json> (*impl)(const std::vector<nlohmann::json>& args, FunctionEnv& env, uint32_t offset);
};

/// The built-ins of §7.2 (not, eq, ne, lt, le, gt, ge, len, index, printf, print; and/or are
/// listed with a null body: the evaluator short-circuits them). template_builtins.cc.
std::vector<FunctionSpec> builtinFunctions();
/// The value, string, list and number functions of §7.3. template_functions.cc.
std::vector<FunctionSpec> catalogFunctions();
/// The encoding, random, time and Kubernetes-object functions of §7.3. template_functions_ext.cc.
std::vector<FunctionSpec> extendedFunctions();

/// Every function name a template may call: built-ins of §7.2 and the catalog of §7.3, sorted.
const std::vector<std::string>& functionNames();

/// Whether `name` is a built-in or catalog function.
bool isFunction(std::string_view name);

/// Calls a built-in (except and/or, which the evaluator short-circuits) or catalog function with
/// evaluated arguments (the piped value last). Errors carry `offset` (the function name's).
Result<nlohmann::json> callFunction(const std::string& name, const std::vector<nlohmann::json>& args,
                                    FunctionEnv& env, uint32_t offset);

/// Go's `%v` of a float64 (strconv 'g', -1): shortest round-trip digits; exponent form (`1e+06`)
/// when the decimal exponent is below -4 or at least 6.
std::string formatFloat(double v);

/// Go's fmt.Sprintf subset of §7.2: %s %d %v %q %f %t %x %%, width and precision.
Result<std::string> sprintf(const std::string& format, const std::vector<nlohmann::json>& args,
                            uint32_t offset);

/// Go-like type name of a value for messages: string, int, float64, bool, map, list, nil.
std::string typeName(const nlohmann::json& v);
/// A value as a string argument: strings as is, scalars printed, nil "", maps/lists an error.
Result<std::string> argString(const nlohmann::json& v, const char* fn, uint32_t offset);
/// A value as an integer argument: integers, integral floats, numeric strings, nil as 0.
Result<int64_t> argInt(const nlohmann::json& v, const char* fn, uint32_t offset);
/// Whether a value is empty in the sense of `default`/`empty` (§7.3): nil, "", empty list or map.
bool isEmptyValue(const nlohmann::json& v);

/// Go's strconv.Quote for ASCII control characters (quote, %q): double quotes, backslash escapes.
std::string goQuote(const std::string& s);
/// Lowercase hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);
/// Standard base64 (with padding).
std::string base64Encode(std::string_view data);
/// Decodes standard base64; nullopt when malformed.
std::optional<std::string> base64Decode(std::string_view data);
/// Block YAML of a value, without a trailing newline (toYaml).
std::string toYaml(const nlohmann::json& v);
/// Compact JSON with sorted keys (toJson).
std::string toJson(const nlohmann::json& v);

}  // namespace ork::tmpl
