// The canonical node printers: block YAML with minimal quoting (the IR text of golden tests and
// --print-ir-after) and compact JSON. Document and module printers are in printer_module.cc.
#include "ir/printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "support/source_manager.h"
#include "support/template_ast.h"

namespace ork::ir {
namespace {

bool allOf(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}
bool isDec(char c) { return c >= '0' && c <= '9'; }
bool isOct(char c) { return c >= '0' && c <= '7'; }
bool isHex(char c) { return isDec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isBin(char c) { return c == '0' || c == '1'; }
bool isDecOrUnderscore(char c) { return isDec(c) || c == '_'; }

/// Would a YAML reader take this plain text for a number (1.2 core schema, plus the
/// YAML 1.1 forms 0b…, 1_000 and 1:30 that older readers still resolve)?
bool looksNumeric(std::string_view s) {
  std::string_view body = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
  if (allOf(body, isDecOrUnderscore) && isDec(body[0])) return true;
  if (body.size() > 2 && body[0] == '0') {
    std::string_view digits = body.substr(2);
    if ((body[1] == 'o' && allOf(digits, isOct)) || (body[1] == 'x' && allOf(digits, isHex)) ||
        (body[1] == 'b' && allOf(digits, isBin)))
      return true;
  }
  for (std::string_view special : {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"})
    if (body == special) return true;
  // [0-9]+ (\.[0-9]*)? | \.[0-9]+, then an optional exponent
  size_t i = 0, digits = 0;
  while (i < body.size() && isDec(body[i])) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && isDec(body[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    size_t exp = 0;
    while (i < body.size() && isDec(body[i])) ++i, ++exp;
    if (exp == 0) return false;
  }
  if (i == body.size()) return true;
  // YAML 1.1 sexagesimal: 1:30, 190:20:30
  if (body[i] != ':') return false;
  for (; i < body.size(); ++i)
    if (!isDec(body[i]) && body[i] != ':') return false;
  return true;
}

/// U+0085, U+2028, U+2029: line breaks to YAML, so they must be escaped.
size_t unicodeBreakLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  if (i + 1 < s.size() && b(i) == 0xC2 && b(i + 1) == 0x85) return 2;
  if (i + 2 < s.size() && b(i) == 0xE2 && b(i + 1) == 0x80 && (b(i + 2) == 0xA8 || b(i + 2) == 0xA9)) return 3;
  return 0;
}

bool needsQuotes(std::string_view s) {
  if (s.empty()) return true;
  static const char* kWords[] = {"null", "Null", "NULL", "~",   "true", "True", "TRUE", "false", "False",
                                 "FALSE", "yes", "Yes", "YES", "no",   "No",   "NO",   "on",    "On",
                                 "ON",  "off",  "Off", "OFF", "y",    "Y",    "n",    "N"};
  for (const char* w : kWords)
    if (s == w) return true;
  if (looksNumeric(s)) return true;
  char first = s.front();
  if (std::string_view(",[]{}#&*!|>'\"%@`").find(first) != std::string_view::npos) return true;
  if ((first == '-' || first == '?' || first == ':') && (s.size() == 1 || s[1] == ' ')) return true;
  if (s == "---" || s == "..." || s == "<<") return true;  // document markers; the merge key
  if (s.front() == ' ' || s.back() == ' ' || s.back() == ':') return true;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f || unicodeBreakLength(s, i)) return true;
  }
  return s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos;
}

std::string hexByte(const char* prefix, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%s%02X", prefix, c);
  return buf;
}

std::string doubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (size_t n = unicodeBreakLength(s, i)) {
      out += n == 2 ? "\\N" : (static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\L" : "\\P");
      i += n - 1;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) out += hexByte("\\x", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string formatFloat(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v < 0 ? "-.inf" : ".inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, res.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";  // stays a float when read back
  return s;
}

std::string formatString(std::string_view s) { return needsQuotes(s) ? doubleQuoted(s) : std::string(s); }

class NodePrinter {
 public:
  NodePrinter(const PrintOptions& options, std::string& out) : options_(options), out_(out) {}

  void top(const Node& n) {
    if (n.isMap() && !n.entries.empty()) return entries(n, 0, false);
    if (n.isList() && !n.items.empty()) return items(n, 0, false);
    out_ += inline_(n) + comment(n) + "\n";
  }

 private:
  static std::string inline_(const Node& n) {
    if (n.isMap()) return "{}";
    if (n.isList()) return "[]";
    return formatScalar(n);
  }

  std::string comment(const Node& n) const {
    if (options_.annotate) {
      std::string text = options_.annotate(n);
      if (!text.empty()) return "  # " + text;
    }
    if (!options_.sources || !n.span.valid()) return "";
    return "  # " + options_.sources->location(n.span);
  }

  /// The annotate callback's comment only (mappings in lists carry no location comment).
  std::string annotation(const Node& n) const {
    if (!options_.annotate) return "";
    std::string text = options_.annotate(n);
    return text.empty() ? "" : "  # " + text;
  }

  void pad(int indent) { out_.append(static_cast<size_t>(indent), ' '); }

  /// After `key:` or `-`: a scalar on the same line, a collection on the next lines.
  void value(const Node& v, int indent) {
    if (v.isMap() && !v.entries.empty()) {
      out_ += comment(v) + "\n";
      entries(v, indent + 2, false);
    } else if (v.isList() && !v.items.empty()) {
      out_ += comment(v) + "\n";
      items(v, indent + 2, false);
    } else {
      out_ += " " + inline_(v) + comment(v) + "\n";
    }
  }

  void entries(const Node& n, int indent, bool firstInline) {
    for (size_t i = 0; i < n.entries.size(); ++i) {
      if (i > 0 || !firstInline) pad(indent);
      out_ += formatString(n.entries[i].key) + ":";
      value(*n.entries[i].value, indent);
    }
  }

  void items(const Node& n, int indent, bool firstInline) {
    for (size_t i = 0; i < n.items.size(); ++i) {
      if (i > 0 || !firstInline) pad(indent);
      const Node& item = *n.items[i];
      if (std::string c = annotation(item); !c.empty() && item.isMap() && !item.entries.empty()) {
        out_ += "-" + c + "\n";  // an annotated mapping: the comment on the dash's line
        entries(item, indent + 2, false);
      } else if (item.isMap() && !item.entries.empty()) {
        out_ += "- ";
        entries(item, indent + 2, true);
      } else if (item.isList() && !item.items.empty()) {
        out_ += "- ";
        items(item, indent + 2, true);
      } else {
        out_ += "- " + inline_(item) + comment(item) + "\n";
      }
    }
  }

  const PrintOptions& options_;
  std::string& out_;
};

void jsonString(std::string_view s, std::string& out) {
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) out += hexByte("\\u00", c);
        else out += ch;
    }
  }
  out += '"';
}

void json(const Node& n, bool sortKeys, std::string& out) {
  switch (n.kind) {
    case NodeKind::Null: out += "null"; return;
    case NodeKind::Bool: out += n.boolValue ? "true" : "false"; return;
    case NodeKind::Int: out += std::to_string(n.intValue); return;
    case NodeKind::Float:
      out += std::isfinite(n.floatValue) ? formatFloat(n.floatValue) : "null";
      return;
    case NodeKind::String: jsonString(n.parsed ? n.parsed->source : n.text, out); return;
    case NodeKind::List:
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i) out += ',';
        json(*n.items[i], sortKeys, out);
      }
      out += ']';
      return;
    case NodeKind::Map: {
      std::vector<const MapEntry*> order;
      for (const MapEntry& e : n.entries) order.push_back(&e);
      if (sortKeys)
        std::sort(order.begin(), order.end(), [](const MapEntry* a, const MapEntry* b) { return a->key < b->key; });
      out += '{';
      for (size_t i = 0; i < order.size(); ++i) {
        if (i) out += ',';
        jsonString(order[i]->key, out);
        out += ':';
        json(*order[i]->value, sortKeys, out);
      }
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string formatScalar(const Node& n) {
  switch (n.kind) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return n.boolValue ? "true" : "false";
    case NodeKind::Int: return std::to_string(n.intValue);
    case NodeKind::Float: return formatFloat(n.floatValue);
    // A template substituted by motif expansion keeps the motif's text (its offsets point there);
    // what it now reads is the substituted source.
    case NodeKind::String: return formatString(n.parsed ? n.parsed->source : n.text);
    case NodeKind::List:
    case NodeKind::Map: return "";
  }
  return "";
}

std::string printNode(const Node& node, const PrintOptions& options) {
  std::string out;
  NodePrinter(options, out).top(node);
  return out;
}

std::string nodeToJson(const Node& node, bool sortKeys) {
  std::string out;
  json(node, sortKeys, out);
  return out;
}

}  // namespace ork::ir
