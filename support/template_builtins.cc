// The built-in functions of FORMATS.md §7.2 (comparisons, len, index, print, printf) and the
// output rules: Go's number formatting and the "use toJson or toYaml" error for maps and lists.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "support/template_functions.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;

bool isNumber(const json& v) { return v.is_number(); }
double asDouble(const json& v) { return v.get<double>(); }

// Compares two values (Go's eq/lt): -1, 0, 1; numbers numerically, strings bytewise, booleans for
// equality only. `orderOnly` rejects booleans. nil compares as the other side's zero value.
Result<int> compare(const json& a, const json& b, bool ordering, uint32_t offset) {
  auto done = [](int c) {
    Result<int> r;
    r.value = c;
    return r;
  };
  if (a.is_null() && b.is_null()) return done(0);
  if (!ordering && (a.is_null() || b.is_null())) return done(1);
  const json& x = a.is_null() ? (b.is_string() ? json("") : b.is_boolean() ? json(false) : json(0)) : a;
  const json& y = b.is_null() ? (a.is_string() ? json("") : a.is_boolean() ? json(false) : json(0)) : b;
  if (isNumber(x) && isNumber(y)) {
    if (x.is_number_integer() && y.is_number_integer() && !x.is_number_unsigned() &&
        !y.is_number_unsigned()) {
      int64_t p = x.get<int64_t>(), q = y.get<int64_t>();
      return done(p < q ? -1 : p > q ? 1 : 0);
    }
    double p = asDouble(x), q = asDouble(y);
    return done(p < q ? -1 : p > q ? 1 : 0);
  }
  if (x.is_string() && y.is_string()) {
    int c = x.get_ref<const std::string&>().compare(y.get_ref<const std::string&>());
    return done(c < 0 ? -1 : c > 0 ? 1 : 0);
  }
  if (x.is_boolean() && y.is_boolean() && !ordering) return done(x == y ? 0 : 1);
  if ((x.is_object() || x.is_array() || y.is_object() || y.is_array()))
    return Result<int>::fail(
        std::string(ordering ? "invalid type for comparison: " : "non-comparable type: ") +
            typeName(x.is_object() || x.is_array() ? x : y),
        offset);
  if (ordering && x.is_boolean() && y.is_boolean())
    return Result<int>::fail("invalid type for comparison: bool", offset);
  return Result<int>::fail("incompatible types for comparison", offset);
}

Result<json> ok(json v) {
  Result<json> r;
  r.value = std::move(v);
  return r;
}

Result<json> eqFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  for (size_t i = 1; i < args.size(); ++i) {
    Result<int> c = compare(args[0], args[i], false, offset);
    if (!c.ok()) return Result<json>::fail(c.error.message, offset);
    if (*c.value == 0) return ok(true);
  }
  return ok(false);
}

Result<json> neFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  Result<int> c = compare(args[0], args[1], false, offset);
  if (!c.ok()) return Result<json>::fail(c.error.message, offset);
  return ok(*c.value != 0);
}

template <int Lo, int Hi>
Result<json> orderFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  Result<int> c = compare(args[0], args[1], true, offset);
  if (!c.ok()) return Result<json>::fail(c.error.message, offset);
  return ok(*c.value >= Lo && *c.value <= Hi);
}

Result<json> lenFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  const json& v = args[0];
  if (v.is_null()) return ok(0);
  if (v.is_string()) return ok(static_cast<int64_t>(v.get_ref<const std::string&>().size()));
  if (v.is_array() || v.is_object()) return ok(static_cast<int64_t>(v.size()));
  return Result<json>::fail("len of type " + typeName(v), offset);
}

Result<json> indexFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  json v = args[0];
  for (size_t i = 1; i < args.size(); ++i) {
    const json& k = args[i];
    if (v.is_null()) return ok(json());
    if (v.is_array()) {
      Result<int64_t> n = argInt(k, "index", offset);
      if (!n.ok() || !k.is_number())
        return Result<json>::fail("cannot index list with " + typeName(k), offset);
      if (*n.value < 0 || static_cast<size_t>(*n.value) >= v.size())
        return Result<json>::fail("index out of range: " + std::to_string(*n.value), offset);
      v = json(v[static_cast<size_t>(*n.value)]);
    } else if (v.is_object()) {
      if (!k.is_string()) return Result<json>::fail("cannot index map with " + typeName(k), offset);
      auto it = v.find(k.get<std::string>());
      v = it == v.end() ? json() : json(*it);
    } else {
      return Result<json>::fail("can't index item of type " + typeName(v), offset);
    }
  }
  return ok(v);
}

Result<json> notFn(const std::vector<json>& args, FunctionEnv&, uint32_t) { return ok(!truthy(args[0])); }

// Go's fmt.Sprint: operands joined, with a space between two operands when neither is a string.
Result<json> printFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0 && !args[i - 1].is_string() && !args[i].is_string()) out += ' ';
    Result<std::string> s = printValue(args[i], offset);
    if (!s.ok()) return Result<json>::fail(s.error.message, offset, s.error.help);
    out += *s.value;
  }
  return ok(out);
}

Result<json> printfFn(const std::vector<json>& args, FunctionEnv&, uint32_t offset) {
  Result<std::string> format = argString(args[0], "printf", offset);
  if (!format.ok()) return Result<json>::fail(format.error.message, offset);
  Result<std::string> s = sprintf(*format.value, std::vector<json>(args.begin() + 1, args.end()), offset);
  if (!s.ok()) return Result<json>::fail(s.error.message, offset, s.error.help);
  return ok(*s.value);
}

std::string quoteImpl(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string pad(std::string s, int width, bool left, bool zero) {
  if (width <= 0 || static_cast<int>(s.size()) >= width) return s;
  size_t n = static_cast<size_t>(width) - s.size();
  if (left) return s + std::string(n, ' ');
  if (zero) {
    size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    return s.substr(0, sign) + std::string(n, '0') + s.substr(sign);
  }
  return std::string(n, ' ') + s;
}

}  // namespace

std::string goQuote(const std::string& s) { return quoteImpl(s); }

std::string typeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return "nil";
    case json::value_t::boolean: return "bool";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "int";
    case json::value_t::number_float: return "float64";
    case json::value_t::string: return "string";
    case json::value_t::array:
    case json::value_t::binary: return "list";
    case json::value_t::object: return "map";
  }
  return "nil";
}

std::string formatFloat(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);  // d.ddde±xx
  size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out;
  if (exp < -4 || exp >= 6) {  // strconv: shortest %g decides with precision 6
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  } else if (exp < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." + digits.substr(static_cast<size_t>(exp) + 1);
  }
  return neg ? "-" + out : out;
}

Result<std::string> printValue(const json& v, uint32_t offset) {
  Result<std::string> r;
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: r.value = ""; return r;
    case json::value_t::boolean: r.value = v.get<bool>() ? "true" : "false"; return r;
    case json::value_t::number_integer: r.value = std::to_string(v.get<int64_t>()); return r;
    case json::value_t::number_unsigned: r.value = std::to_string(v.get<uint64_t>()); return r;
    case json::value_t::number_float: r.value = formatFloat(v.get<double>()); return r;
    case json::value_t::string: r.value = v.get<std::string>(); return r;
    case json::value_t::array:
    case json::value_t::binary:
    case json::value_t::object: break;
  }
  return Result<std::string>::fail("cannot print a " + typeName(v) + " as text", offset,
                                   "use toJson or toYaml");
}

Result<std::string> sprintf(const std::string& format, const std::vector<json>& args, uint32_t offset) {
  std::string out;
  size_t argi = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      out += c;
      continue;
    }
    bool left = false, zero = false, plus = false;
    while (++i < format.size() && (format[i] == '-' || format[i] == '0' || format[i] == '+')) {
      left = left || format[i] == '-';
      zero = zero || format[i] == '0';
      plus = plus || format[i] == '+';
    }
    int width = 0, precision = -1;
    while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
      width = width * 10 + (format[i++] - '0');
    if (i < format.size() && format[i] == '.') {
      precision = 0;
      while (++i < format.size() && std::isdigit(static_cast<unsigned char>(format[i])))
        precision = precision * 10 + (format[i] - '0');
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = format[i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (argi >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    const json& a = args[argi++];
    std::string s;
    auto bad = [&] { return std::string("%!") + verb + "(" + typeName(a) + "=" + toJson(a) + ")"; };
    switch (verb) {
      case 'v':
      case 's': {
        if (verb == 's' && !a.is_string() && !a.is_null() && !a.is_primitive()) {
          s = bad();
          break;
        }
        Result<std::string> p = printValue(a, offset);
        if (!p.ok()) return p;
        s = *p.value;
        if (precision >= 0 && verb == 's' && static_cast<int>(s.size()) > precision)
          s.resize(static_cast<size_t>(precision));
        break;
      }
      case 'q': {
        Result<std::string> p = printValue(a, offset);
        if (!p.ok()) return p;
        s = quoteImpl(*p.value);
        break;
      }
      case 'd':
        if (!a.is_number_integer()) {
          s = bad();
          break;
        }
        s = std::to_string(a.get<int64_t>());
        if (plus && a.get<int64_t>() >= 0) s = "+" + s;
        break;
      case 'f':
      case 'F': {
        if (!a.is_number()) {
          s = bad();
          break;
        }
        char buf[512];
        std::snprintf(buf, sizeof buf, plus ? "%+.*f" : "%.*f", precision < 0 ? 6 : precision,
                      a.get<double>());
        s = buf;
        break;
      }
      case 't':
        if (!a.is_boolean()) {
          s = bad();
          break;
        }
        s = a.get<bool>() ? "true" : "false";
        break;
      case 'x':
      case 'X': {
        char buf[64];
        if (a.is_number_integer()) {
          int64_t n = a.get<int64_t>();
          std::snprintf(buf, sizeof buf, verb == 'x' ? "%llx" : "%llX",
                        static_cast<unsigned long long>(n < 0 ? -n : n));
          s = (n < 0 ? "-" : "") + std::string(buf);
        } else if (a.is_string()) {
          for (unsigned char ch : a.get_ref<const std::string&>()) {
            std::snprintf(buf, sizeof buf, verb == 'x' ? "%02x" : "%02X", ch);
            s += buf;
          }
        } else {
          s = bad();
        }
        break;
      }
      default: s = std::string("%!") + verb + "(" + typeName(a) + ")"; break;
    }
    out += pad(s, width, left, zero && !left && verb != 's' && verb != 'q' && verb != 'v' && verb != 't');
  }
  if (argi < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = argi; k < args.size(); ++k) {
      if (k > argi) out += ", ";
      out += typeName(args[k]) + "=" + (args[k].is_string() ? args[k].get<std::string>() : toJson(args[k]));
    }
    out += ")";
  }
  Result<std::string> r;
  r.value = std::move(out);
  return r;
}

std::vector<FunctionSpec> builtinFunctions() {
  return {
      {"and", 1, -1, nullptr},      {"or", 1, -1, nullptr},      {"not", 1, 1, notFn},
      {"eq", 2, -1, eqFn},          {"ne", 2, 2, neFn},          {"lt", 2, 2, orderFn<-1, -1>},
      {"le", 2, 2, orderFn<-1, 0>}, {"gt", 2, 2, orderFn<1, 1>}, {"ge", 2, 2, orderFn<0, 1>},
      {"len", 1, 1, lenFn},         {"index", 1, -1, indexFn},   {"printf", 1, -1, printfFn},
      {"print", 0, -1, printFn},
  };
}

}  // namespace ork::tmpl
