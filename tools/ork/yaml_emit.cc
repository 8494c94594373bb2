// Block YAML of JSON values for `ork template` (see yaml_emit.h). Quoting is conservative: a string
// is plain only when neither YAML 1.2's core schema nor YAML 1.1 (what kubectl's go-yaml reads)
// would resolve it as a boolean, null, number, timestamp or merge key, and it holds no indicator.
#include "tools/ork/yaml_emit.h"

#include <cstdio>
#include <string_view>

namespace ork::cli {
namespace {

using nlohmann::json;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// YAML 1.1 booleans and nulls (a superset of 1.2's), compared case-insensitively.
bool isReservedWord(const std::string& s) {
  if (s.size() > 5) return false;
  char buf[6] = {};
  for (size_t i = 0; i < s.size(); ++i) buf[i] = lowerAscii(s[i]);
  std::string_view l(buf, s.size());
  static const char* const kWords[] = {"y",     "n",    "yes", "no",   "on",    "off",   "true",
                                       "false", "null", "~",   ".inf", "-.inf", "+.inf", ".nan"};
  for (const char* w : kWords)
    if (l == w) return true;
  return s == "<<" || s == "=";
}

// Anything a YAML 1.1 or 1.2 reader could resolve as a number: after an optional sign, `0x` + hex,
// `0o`/`0b` + digits, or digits with `_`, `.`, `:` (1.1 sexagesimal) and an exponent `e[+-]`.
// Over-quotes a little ("1.4.2", "1:99"), never under.
bool looksNumeric(const std::string& s) {
  size_t i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
  std::string_view rest(s.data() + i, s.size() - i);
  auto all = [&](size_t from, auto pred) {
    if (from >= rest.size()) return false;
    for (size_t k = from; k < rest.size(); ++k)
      if (!pred(rest[k]) && rest[k] != '_') return false;
    return true;
  };
  if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'x' || rest[1] == 'X'))
    return all(2, [](char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); });
  if (rest.size() > 2 && rest[0] == '0' && (rest[1] == 'o' || rest[1] == 'b'))
    return all(2, [](char c) { return isDigit(c); });
  bool digit = false;
  for (size_t k = 0; k < rest.size(); ++k) {
    char c = rest[k];
    if (isDigit(c)) {
      digit = true;
    } else if (c == 'e' || c == 'E') {
      if (k + 1 < rest.size() && (rest[k + 1] == '+' || rest[k + 1] == '-')) ++k;
    } else if (c != '.' && c != '_' && c != ':') {
      return false;
    }
  }
  return digit;
}

// A YAML 1.1 timestamp starts with a date: four digits and '-'.
bool looksLikeDate(const std::string& s) {
  return s.size() >= 5 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && isDigit(s[3]) && s[4] == '-';
}

// Characters that need a double-quoted escape: C0 controls, DEL, C1 controls (U+0080–U+009F, two
// bytes C2 80–C2 9F), the line and paragraph separators U+2028/U+2029 and the BOM U+FEFF.
bool needsEscape(const std::string& s, size_t i, size_t* len) {
  auto c = static_cast<unsigned char>(s[i]);
  *len = 1;
  if (c < 0x20 || c == 0x7f) return true;
  if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
    *len = 2;
    return true;
  }
  if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
    *len = 3;
    return true;
  }
  if (c == 0xef && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xbb &&
      static_cast<unsigned char>(s[i + 2]) == 0xbf) {
    *len = 3;
    return true;
  }
  return false;
}

bool hasEscapes(const std::string& s) {
  size_t len = 0;
  for (size_t i = 0; i < s.size(); ++i)
    if (needsEscape(s, i, &len)) return true;
  return false;
}

std::string doubleQuoted(const std::string& s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    size_t len = 1;
    char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (needsEscape(s, i, &len)) {
      // Decode the (one- to three-byte) character and write it as \uXXXX.
      unsigned cp = static_cast<unsigned char>(c);
      if (len == 2) cp = ((cp & 0x1f) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3f);
      if (len == 3)
        cp = ((cp & 0x0f) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3f) << 6) |
             (static_cast<unsigned char>(s[i + 2]) & 0x3f);
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04X", cp);
      out += buf;
    } else {
      out += c;
    }
    i += len;
  }
  return out + "\"";
}

bool plainSafe(const std::string& s) {
  if (s.empty() || isReservedWord(s) || looksNumeric(s) || looksLikeDate(s)) return false;
  static constexpr std::string_view kIndicators = "-?:,[]{}#&*!|>'\"%@` \t";
  if (kIndicators.find(s[0]) != std::string_view::npos) return false;
  char last = s.back();
  if (last == ' ' || last == ':' || last == '\t') return false;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return false;
  if (s.find('\t') != std::string::npos) return false;
  return true;
}

// A literal block (`|`) keeps a multi-line string readable; it cannot hold control characters, tabs,
// carriage returns, lines of only spaces, a first line starting with a space (the indentation would
// be misread) or more than one trailing newline (we never emit `|+`).
bool literalBlockSafe(const std::string& s) {
  if (s.find('\n') == std::string::npos || s.find('\r') != std::string::npos) return false;
  if (s.size() >= 2 && s[s.size() - 1] == '\n' && s[s.size() - 2] == '\n') return false;
  if (s[0] == ' ' || s[0] == '\n') return false;
  size_t len = 0;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != '\n' && needsEscape(s, i, &len)) return false;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    size_t end = nl == std::string::npos ? s.size() : nl;
    std::string_view line(s.data() + start, end - start);
    if (!line.empty() && line.find_first_not_of(' ') == std::string_view::npos) return false;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return true;
}

void appendLiteralBlock(const std::string& s, size_t indent, std::string& out) {
  bool trailingNewline = s.back() == '\n';
  out += trailingNewline ? "|\n" : "|-\n";
  std::string pad(indent, ' ');
  size_t start = 0;
  std::string_view body(s.data(), trailingNewline ? s.size() - 1 : s.size());
  while (true) {
    size_t nl = body.find('\n', start);
    std::string_view line =
        body.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty()) {
      out += pad;
      out += line;
    }
    out += '\n';
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
}

void appendString(const std::string& s, std::string& out) {
  if (!hasEscapes(s) && plainSafe(s))
    out += s;
  else
    out += yamlQuotedString(s);
}

std::string scalarText(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
    case json::value_t::discarded: return "null";
    case json::value_t::string: return yamlQuotedString(v.get_ref<const std::string&>());
    case json::value_t::array: return "[]";
    case json::value_t::object: return "{}";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
    case json::value_t::binary: break;
  }
  return v.dump();
}

bool isBlock(const json& v) { return (v.is_object() || v.is_array()) && !v.empty(); }

// Appends the value that follows `key:` or `- ` (the caller wrote that prefix): a scalar on the same
// line, a literal block, or a newline and the nested block at `indent`.
void emitValue(const json& v, size_t indent, bool afterKey, std::string& out);

void emitMap(const json& v, size_t indent, std::string& out, bool firstInline) {
  bool first = true;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!(first && firstInline)) out.append(indent, ' ');
    first = false;
    appendString(it.key(), out);
    out += ':';
    emitValue(*it, indent, true, out);
  }
}

void emitList(const json& v, size_t indent, std::string& out, bool firstInline) {
  bool first = true;
  for (const json& item : v) {
    if (!(first && firstInline)) out.append(indent, ' ');
    first = false;
    out += "-";
    if (item.is_object() && !item.empty()) {
      out += ' ';
      emitMap(item, indent + 2, out, true);
    } else if (item.is_array() && !item.empty()) {
      out += ' ';
      emitList(item, indent + 2, out, true);
    } else {
      emitValue(item, indent + 2, false, out);
    }
  }
}

void emitValue(const json& v, size_t indent, bool afterKey, std::string& out) {
  if (v.is_object() && !v.empty()) {
    out += '\n';
    emitMap(v, indent + 2, out, false);
    return;
  }
  if (v.is_array() && !v.empty()) {
    out += '\n';
    // Lists sit at their key's indentation (kubectl's layout); a list inside a list nests by two.
    emitList(v, afterKey ? indent : indent + 2, out, false);
    return;
  }
  out += ' ';
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (literalBlockSafe(s)) {
      appendLiteralBlock(s, indent + 2, out);
      return;
    }
    appendString(s, out);
    out += '\n';
    return;
  }
  out += scalarText(v);
  out += '\n';
}

}  // namespace

std::string yamlQuotedString(const std::string& s) {
  if (hasEscapes(s)) return doubleQuoted(s);
  if (plainSafe(s)) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

void emitYamlDocument(const nlohmann::json& v, std::string& out) {
  if (!isBlock(v)) {
    out += scalarText(v);
    out += '\n';
    return;
  }
  if (v.is_object())
    emitMap(v, 0, out, false);
  else
    emitList(v, 0, out, false);
}

}  // namespace ork::cli
