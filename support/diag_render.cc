// Printers for diagnostics (human text with carets, JSON lines) and the generated errors.md.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork {
namespace {

const char* kBold = "\033[1m";
const char* kRed = "\033[1;31m";
const char* kYellow = "\033[1;35m";
const char* kCyan = "\033[1;36m";
const char* kGreen = "\033[1;32m";
const char* kReset = "\033[0m";

std::string paint(bool color, const char* code, std::string_view text) {
  if (!color) return std::string(text);
  return std::string(code) + std::string(text) + kReset;
}

const char* severityColor(Severity s) {
  switch (s) {
    case Severity::Note: return kCyan;
    case Severity::Warning: return kYellow;
    case Severity::Error: return kRed;
  }
  return kRed;
}

// The length of the valid UTF-8 sequence at s[i] (no overlong forms, surrogates or code points past
// U+10FFFF), or 0.
size_t utf8Length(std::string_view s, size_t i, uint32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t len = (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  cp = b & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 0x2) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string hexEscape(const char* form, unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, form, value);
  return buf;
}

// `s` with C0 and C1 controls, DEL and invalid UTF-8 bytes escaped (`\x1b`, `\u009b`), so decoded YAML text
// never drives the terminal; valid UTF-8 text stays as is. Tabs (and line breaks with `keepNewlines`) stay.
// `columns` (when given) receives the display width, one column per code point.
std::string escapeForTerminal(std::string_view s, bool keepNewlines, size_t* columns = nullptr) {
  std::string out;
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      bool keep = b == '\t' || (keepNewlines && b == '\n') || (b >= 0x20 && b != 0x7F);
      std::string piece = keep ? std::string(1, s[i]) : hexEscape("\\x%02x", b);
      width += piece.size();
      out += piece;
      ++i;
      continue;
    }
    uint32_t cp = 0;
    size_t len = utf8Length(s, i, cp);
    if (len == 0) {
      std::string piece = hexEscape("\\x%02x", b);
      width += piece.size();
      out += piece;
      ++i;
    } else if (cp <= 0x9F) {
      std::string piece = hexEscape("\\u%04x", cp);
      width += piece.size();
      out += piece;
      i += len;
    } else {
      out.append(s.substr(i, len));
      ++width;
      i += len;
    }
  }
  if (columns) *columns = width;
  return out;
}

// A snippet shows at most this many bytes of a source line, around the caret.
constexpr size_t kSnippetWindow = 160;

// The source line under a diagnostic with a caret and tildes under the span (clipped to the first line of
// the span). Controls and bad bytes are escaped (the caret follows the escaped text); a long line is cut
// to a window around the caret, with `…` where text was left out.
void appendSnippet(std::string& out, const Span& span, const SourceManager& sm, bool color) {
  if (!span.valid()) return;
  LineColumn lc = sm.lineColumn(span.file, span.begin);
  std::string_view line = sm.lineText(span.file, lc.line);
  if (line.empty() && sm.contents(span.file).empty()) return;
  size_t caret = std::min<size_t>(lc.column > 0 ? lc.column - 1 : 0, line.size());
  size_t spanEnd = std::min<size_t>(caret + std::max<uint32_t>(span.size(), 1), line.size());
  size_t from = 0;
  size_t to = line.size();
  if (line.size() > kSnippetWindow) {
    from = caret > kSnippetWindow / 4 ? caret - kSnippetWindow / 4 : 0;
    to = std::min(line.size(), from + kSnippetWindow);
    auto continuation = [&](size_t i) { return i < line.size() && (static_cast<unsigned char>(line[i]) >> 6) == 0x2; };
    while (from > 0 && continuation(from)) --from;
    while (to < line.size() && continuation(to)) ++to;
    spanEnd = std::min(spanEnd, to);
  }
  std::string lead = from > 0 ? "\u2026" : "";
  std::string tail = to < line.size() ? "\u2026" : "";
  size_t beforeCols = 0;
  size_t spanCols = 0;
  std::string before = escapeForTerminal(line.substr(from, caret - from), false, &beforeCols);
  std::string marked = escapeForTerminal(line.substr(caret, spanEnd - caret), false, &spanCols);
  std::string after = escapeForTerminal(line.substr(spanEnd, to - spanEnd), false);
  std::string lineOut = lead + before + marked + after + tail;
  // Tabs become spaces (one column each, so the caret stays aligned).
  for (char& c : lineOut)
    if (c == '\t') c = ' ';
  std::string num = std::to_string(lc.line);
  std::string gutter(num.size() + 4, ' ');
  out += "   " + num + " | " + lineOut + "\n";
  size_t width = span.size() > 1 ? std::max<size_t>(spanCols, 1) : 1;
  std::string marker = "^" + std::string(width - 1, '~');
  out += gutter + "| " + std::string((from > 0 ? 1 : 0) + beforeCols, ' ') + paint(color, kGreen, marker) + "\n";
}

}  // namespace

std::string renderDiagnostic(const Diagnostic& d, const SourceManager& sm, bool color) {
  std::string out;
  if (d.span.valid()) out += paint(color, kBold, escapeForTerminal(sm.location(d.span), false) + ": ");
  out += paint(color, severityColor(d.severity),
               std::string(severityName(d.severity)) + "[" + diagCodeString(d.code) + "]");
  out += paint(color, kBold, ": " + escapeForTerminal(d.message, false)) + "\n";
  appendSnippet(out, d.span, sm, color);
  for (const DiagNote& n : d.notes) {
    if (n.span.valid()) out += paint(color, kBold, escapeForTerminal(sm.location(n.span), false) + ": ");
    out += paint(color, kCyan, "note") + ": " + escapeForTerminal(n.message, false) + "\n";
  }
  if (!d.help.empty()) out += paint(color, kCyan, "help") + ": " + escapeForTerminal(d.help, true) + "\n";
  return out;
}

std::string renderDiagnosticJson(const Diagnostic& d, const SourceManager& sm) {
  auto loc = [&](const Span& s, nlohmann::ordered_json& j) {
    if (!s.valid()) return;
    LineColumn b = sm.lineColumn(s.file, s.begin);
    LineColumn e = sm.lineColumn(s.file, s.end);
    j["file"] = std::string(sm.name(s.file));
    j["line"] = b.line;
    j["column"] = b.column;
    j["endLine"] = e.line;
    j["endColumn"] = e.column;
  };
  nlohmann::ordered_json j;
  j["code"] = diagCodeString(d.code);
  j["name"] = std::string(diagInfo(d.code).name);
  j["severity"] = std::string(severityName(d.severity));
  loc(d.span, j);
  j["message"] = d.message;
  if (!d.path.empty()) j["path"] = d.path;
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const DiagNote& n : d.notes) {
    nlohmann::ordered_json jn;
    loc(n.span, jn);
    jn["message"] = n.message;
    notes.push_back(std::move(jn));
  }
  j["notes"] = std::move(notes);
  if (!d.help.empty()) j["help"] = d.help;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string renderAll(const DiagnosticEngine& diags, const SourceManager& sm, RenderOptions opts) {
  std::string out;
  for (const Diagnostic& d : diags.diagnostics()) {
    if (opts.json) {
      out += renderDiagnosticJson(d, sm) + "\n";
    } else {
      out += renderDiagnostic(d, sm, opts.color);
    }
  }
  if (!opts.json && (diags.errorCount() || diags.warningCount())) {
    out += std::to_string(diags.errorCount()) + " error(s), " +
           std::to_string(diags.warningCount()) + " warning(s)\n";
  }
  return out;
}

bool stderrWantsColor() {
  const char* noColor = std::getenv("NO_COLOR");
  if (noColor && *noColor) return false;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return isatty(STDERR_FILENO) == 1;
}

std::string renderErrorsMarkdown() {
  std::string out =
      "# ork error codes\n\n"
      "<!-- Generated from support/diag_codes.def by `ork errors --markdown`; do not edit. -->\n\n"
      "Every diagnostic ork prints carries a stable code `ORKnnnn`. Codes are never reused.\n"
      "Warnings can be silenced with `-Wno-<flag>` and turned into errors with `--strict`.\n\n"
      "| code | name | severity | flag | meaning |\n|---|---|---|---|---|\n";
  for (const DiagInfo& i : diagTable()) {
    out += "| " + diagCodeString(i.code) + " | " + std::string(i.name) + " | " +
           std::string(severityName(i.severity)) + " | `" + std::string(i.flag) + "` | " +
           std::string(i.summary) + " |\n";
  }
  return out;
}

}  // namespace ork
