// The function table of templates and the value, string, list and number functions of FORMATS.md
// §7.3. Every function accepts nil unless stated; the piped value is the last argument.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "support/strings.h"
#include "support/template_functions.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;
using Args = std::vector<json>;

Result<json> ok(json v) {
  Result<json> r;
  r.value = std::move(v);
  return r;
}

#define ORK_ARG_STRING(var, index, fn)                                           \
  Result<std::string> var##Arg = argString(args[index], fn, offset);             \
  if (!var##Arg.ok()) return Result<json>::fail(var##Arg.error.message, offset); \
  const std::string& var = *var##Arg.value
#define ORK_ARG_INT(var, index, fn)                                              \
  Result<int64_t> var##Arg = argInt(args[index], fn, offset);                    \
  if (!var##Arg.ok()) return Result<json>::fail(var##Arg.error.message, offset); \
  int64_t var = *var##Arg.value

// ── values ──
Result<json> defaultFn(const Args& args, FunctionEnv&, uint32_t) {
  return ok(isEmptyValue(args[1]) ? args[0] : args[1]);
}
Result<json> emptyFn(const Args& args, FunctionEnv&, uint32_t) { return ok(isEmptyValue(args[0])); }
Result<json> coalesceFn(const Args& args, FunctionEnv&, uint32_t) {
  for (const json& a : args)
    if (!isEmptyValue(a)) return ok(a);
  return ok(json());
}
Result<json> ternaryFn(const Args& args, FunctionEnv&, uint32_t) {
  return ok(truthy(args[2]) ? args[0] : args[1]);
}

// ── strings ──
template <int (*Map)(int)>
Result<json> caseFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(s, 0, Map == ::toupper ? "upper" : "lower");
  std::string out = s;
  for (char& c : out) c = static_cast<char>(Map(static_cast<unsigned char>(c)));
  return ok(out);
}
Result<json> titleFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(s, 0, "title");
  std::string out = s;
  bool start = true;
  for (char& c : out) {
    if (start && std::islower(static_cast<unsigned char>(c)))
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    start = std::isspace(static_cast<unsigned char>(c)) != 0;
  }
  return ok(out);
}
Result<json> trimFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(s, 0, "trim");
  return ok(std::string(trim(s)));
}
Result<json> trimPrefixFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(p, 0, "trimPrefix");
  ORK_ARG_STRING(s, 1, "trimPrefix");
  return ok(startsWith(s, p) ? s.substr(p.size()) : s);
}
Result<json> trimSuffixFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(x, 0, "trimSuffix");
  ORK_ARG_STRING(s, 1, "trimSuffix");
  return ok(endsWith(s, x) ? s.substr(0, s.size() - x.size()) : s);
}
// Splits UTF-8 text into characters (code points).
std::vector<std::string> characters(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}
Result<json> truncFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_INT(n, 0, "trunc");
  ORK_ARG_STRING(s, 1, "trunc");
  std::vector<std::string> chars = characters(s);
  size_t count = static_cast<size_t>(n < 0 ? -n : n);
  if (count >= chars.size()) return ok(s);
  std::string out;
  size_t from = n < 0 ? chars.size() - count : 0;
  for (size_t i = from; i < from + count; ++i) out += chars[i];
  return ok(out);
}
Result<json> replaceFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(from, 0, "replace");
  ORK_ARG_STRING(to, 1, "replace");
  ORK_ARG_STRING(s, 2, "replace");
  if (from.empty()) return ok(s);
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(from, pos)) != std::string::npos; pos = hit + from.size())
    out += s.substr(pos, hit - pos) + to;
  return ok(out + s.substr(pos));
}
Result<json> containsFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(sub, 0, "contains");
  ORK_ARG_STRING(s, 1, "contains");
  return ok(s.find(sub) != std::string::npos);
}
Result<json> hasPrefixFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(p, 0, "hasPrefix");
  ORK_ARG_STRING(s, 1, "hasPrefix");
  return ok(startsWith(s, p));
}
Result<json> hasSuffixFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(x, 0, "hasSuffix");
  ORK_ARG_STRING(s, 1, "hasSuffix");
  return ok(endsWith(s, x));
}
Result<json> splitFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(sep, 0, "split");
  ORK_ARG_STRING(s, 1, "split");
  json out = json::array();
  if (sep.empty()) {
    for (const std::string& c : characters(s)) out.push_back(c);
    return ok(out);
  }
  size_t pos = 0;
  for (size_t hit; (hit = s.find(sep, pos)) != std::string::npos; pos = hit + sep.size())
    out.push_back(s.substr(pos, hit - pos));
  out.push_back(s.substr(pos));
  return ok(out);
}
Result<json> joinFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(sep, 0, "join");
  const json& list = args[1];
  if (list.is_null()) return ok("");
  if (!list.is_array()) {
    ORK_ARG_STRING(single, 1, "join");
    return ok(single);
  }
  std::string out;
  for (size_t i = 0; i < list.size(); ++i) {
    Result<std::string> s = argString(list[i], "join", offset);
    if (!s.ok()) return Result<json>::fail(s.error.message, offset);
    out += (i ? sep : "") + *s.value;
  }
  return ok(out);
}
Result<json> quoteFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(s, 0, "quote");
  return ok(goQuote(s));
}
std::string indentText(int64_t n, const std::string& s) {
  std::string padding(static_cast<size_t>(std::max<int64_t>(n, 0)), ' ');
  std::string out = padding;
  for (char c : s) {
    out += c;
    if (c == '\n') out += padding;
  }
  return out;
}
Result<json> indentFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_INT(n, 0, "indent");
  ORK_ARG_STRING(s, 1, "indent");
  return ok(indentText(n, s));
}
Result<json> nindentFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_INT(n, 0, "nindent");
  ORK_ARG_STRING(s, 1, "nindent");
  return ok("\n" + indentText(n, s));
}

// ── conversions ──
Result<json> toStringFn(const Args& args, FunctionEnv&, uint32_t offset) {
  if (args[0].is_array() || args[0].is_object()) return ok(toJson(args[0]));
  ORK_ARG_STRING(s, 0, "toString");
  return ok(s);
}
Result<json> toIntFn(const Args& args, FunctionEnv&, uint32_t offset) {
  if (args[0].is_boolean()) return ok(args[0].get<bool>() ? 1 : 0);
  ORK_ARG_INT(n, 0, "toInt");
  return ok(n);
}
Result<json> toFloatFn(const Args& args, FunctionEnv&, uint32_t offset) {
  const json& v = args[0];
  if (v.is_null()) return ok(0.0);
  if (v.is_number()) return ok(v.get<double>());
  if (v.is_string()) {
    std::string t(trim(v.get<std::string>()));
    char* end = nullptr;
    double d = std::strtod(t.c_str(), &end);
    if (!t.empty() && end && *end == '\0') return ok(d);
  }
  return Result<json>::fail("toFloat: cannot convert " + toJson(v) + " to a number", offset);
}
Result<json> toBoolFn(const Args& args, FunctionEnv&, uint32_t offset) {
  const json& v = args[0];
  if (v.is_null()) return ok(false);
  if (v.is_boolean()) return ok(v);
  if (v.is_number_integer() && (v.get<int64_t>() == 0 || v.get<int64_t>() == 1))
    return ok(v.get<int64_t>() == 1);
  if (v.is_string()) {
    std::string t = toLower(trim(v.get<std::string>()));
    if (t == "true" || t == "1") return ok(true);
    if (t == "false" || t == "0") return ok(false);
  }
  return Result<json>::fail("toBool: cannot convert " + toJson(v) + " to a boolean (true, false, 1 or 0)",
                            offset);
}

// ── numbers ──
using IntOp = bool (*)(int64_t, int64_t, int64_t&);
constexpr const char* kArithmeticNames[] = {"add", "sub", "mul", "div", "mod", "max", "min"};
template <IntOp Op, int Name>
Result<json> arithmetic(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_INT(a, 0, kArithmeticNames[Name]);
  ORK_ARG_INT(b, 1, kArithmeticNames[Name]);
  int64_t r = 0;
  if (!Op(a, b, r)) return Result<json>::fail("integer division by zero", offset);
  return ok(r);
}
bool addOp(int64_t a, int64_t b, int64_t& r) {
  return r = static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)), true;
}
bool subOp(int64_t a, int64_t b, int64_t& r) {
  return r = static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)), true;
}
bool mulOp(int64_t a, int64_t b, int64_t& r) {
  return r = static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)), true;
}
bool divOp(int64_t a, int64_t b, int64_t& r) { return b != 0 && (r = (b == -1 ? -a : a / b), true); }
bool modOp(int64_t a, int64_t b, int64_t& r) { return b != 0 && (r = (b == -1 ? 0 : a % b), true); }
bool maxOp(int64_t a, int64_t b, int64_t& r) { return r = std::max(a, b), true; }
bool minOp(int64_t a, int64_t b, int64_t& r) { return r = std::min(a, b), true; }

// ── lists and maps ──
Result<json> listFn(const Args& args, FunctionEnv&, uint32_t) { return ok(json(args)); }
Result<json> dictFn(const Args& args, FunctionEnv&, uint32_t offset) {
  if (args.size() % 2 != 0)
    return Result<json>::fail("dict: odd number of arguments (keys and values pair up)", offset);
  json out = json::object();
  for (size_t i = 0; i < args.size(); i += 2) {
    Result<std::string> k = argString(args[i], "dict", offset);
    if (!k.ok()) return Result<json>::fail(k.error.message, offset);
    out[*k.value] = args[i + 1];
  }
  return ok(out);
}
Result<json> hasKeyFn(const Args& args, FunctionEnv&, uint32_t offset) {
  ORK_ARG_STRING(k, 1, "hasKey");
  if (args[0].is_null()) return ok(false);
  if (!args[0].is_object())
    return Result<json>::fail("hasKey: first argument is a " + typeName(args[0]) + ", not a map", offset);
  return ok(args[0].contains(k));
}
Result<json> keysFn(const Args& args, FunctionEnv&, uint32_t offset) {
  json out = json::array();
  if (args[0].is_null()) return ok(out);
  if (!args[0].is_object())
    return Result<json>::fail("keys: argument is a " + typeName(args[0]) + ", not a map", offset);
  for (auto it = args[0].begin(); it != args[0].end(); ++it) out.push_back(it.key());  // std::map: sorted
  return ok(out);
}

const std::map<std::string, FunctionSpec, std::less<>>& table() {
  static const std::map<std::string, FunctionSpec, std::less<>> t = [] {
    std::map<std::string, FunctionSpec, std::less<>> m;
    for (auto specs : {builtinFunctions(), catalogFunctions(), extendedFunctions()})
      for (const FunctionSpec& s : specs) m.emplace(s.name, s);
    return m;
  }();
  return t;
}

}  // namespace

bool isEmptyValue(const json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         ((v.is_array() || v.is_object()) && v.empty());
}

Result<std::string> argString(const json& v, const char* fn, uint32_t offset) {
  if (v.is_array() || v.is_object())
    return Result<std::string>::fail(std::string(fn) + ": expected a string, got a " + typeName(v), offset);
  return printValue(v, offset);
}

Result<int64_t> argInt(const json& v, const char* fn, uint32_t offset) {
  Result<int64_t> r;
  if (v.is_null()) {
    r.value = 0;
  } else if (v.is_number_integer()) {
    r.value = v.get<int64_t>();
  } else if (v.is_number_float() && std::isfinite(v.get<double>())) {
    r.value = static_cast<int64_t>(v.get<double>());
  } else if (v.is_string()) {
    std::string t(trim(v.get<std::string>()));
    char* end = nullptr;
    errno = 0;
    long long n = std::strtoll(t.c_str(), &end, 10);
    if (!t.empty() && end && *end == '\0' && errno == 0) {
      r.value = n;
    } else {
      double d = std::strtod(t.c_str(), &end);
      if (!t.empty() && end && *end == '\0' && std::isfinite(d)) r.value = static_cast<int64_t>(d);
    }
  }
  if (!r.ok())
    return Result<int64_t>::fail(std::string(fn) + ": cannot convert " + toJson(v) + " to an integer",
                                 offset);
  return r;
}

std::vector<FunctionSpec> catalogFunctions() {
  return {
      {"default", 2, 2, defaultFn},
      {"empty", 1, 1, emptyFn},
      {"coalesce", 1, -1, coalesceFn},
      {"ternary", 3, 3, ternaryFn},
      {"upper", 1, 1, caseFn<::toupper>},
      {"lower", 1, 1, caseFn<::tolower>},
      {"title", 1, 1, titleFn},
      {"trim", 1, 1, trimFn},
      {"trimPrefix", 2, 2, trimPrefixFn},
      {"trimSuffix", 2, 2, trimSuffixFn},
      {"trunc", 2, 2, truncFn},
      {"replace", 3, 3, replaceFn},
      {"contains", 2, 2, containsFn},
      {"hasPrefix", 2, 2, hasPrefixFn},
      {"hasSuffix", 2, 2, hasSuffixFn},
      {"split", 2, 2, splitFn},
      {"join", 2, 2, joinFn},
      {"quote", 1, 1, quoteFn},
      {"indent", 2, 2, indentFn},
      {"nindent", 2, 2, nindentFn},
      {"toString", 1, 1, toStringFn},
      {"toInt", 1, 1, toIntFn},
      {"toFloat", 1, 1, toFloatFn},
      {"toBool", 1, 1, toBoolFn},
      {"add", 2, 2, arithmetic<addOp, 0>},
      {"sub", 2, 2, arithmetic<subOp, 1>},
      {"mul", 2, 2, arithmetic<mulOp, 2>},
      {"div", 2, 2, arithmetic<divOp, 3>},
      {"mod", 2, 2, arithmetic<modOp, 4>},
      {"max", 2, 2, arithmetic<maxOp, 5>},
      {"min", 2, 2, arithmetic<minOp, 6>},
      {"list", 0, -1, listFn},
      {"dict", 0, -1, dictFn},
      {"hasKey", 2, 2, hasKeyFn},
      {"keys", 1, 1, keysFn},
  };
}

const std::vector<std::string>& functionNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [name, spec] : table()) n.push_back(name);
    return n;
  }();
  return names;
}

bool isFunction(std::string_view name) { return table().count(name) > 0; }

Result<json> callFunction(const std::string& name, const std::vector<json>& args, FunctionEnv& env,
                          uint32_t offset) {
  auto it = table().find(name);
  if (it == table().end() || !it->second.impl)
    return Result<json>::fail("unknown function '" + name + "'", offset);
  const FunctionSpec& spec = it->second;
  int n = static_cast<int>(args.size());
  if (n < spec.minArgs || (spec.maxArgs >= 0 && n > spec.maxArgs)) {
    std::string want = spec.minArgs == spec.maxArgs ? std::to_string(spec.minArgs)
                       : spec.maxArgs < 0
                           ? "at least " + std::to_string(spec.minArgs)
                           : std::to_string(spec.minArgs) + " to " + std::to_string(spec.maxArgs);
    return Result<json>::fail(
        "wrong number of arguments for " + name + ": want " + want + ", got " + std::to_string(n), offset);
  }
  return spec.impl(args, env, offset);
}

}  // namespace ork::tmpl
