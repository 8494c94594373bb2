// Printers for diagnostics (human text with carets, JSON lines) and the generated errors.md.
#include <unistd.h>

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

// The source line under a diagnostic with a caret and tildes under the span
// (clipped to the first line of the span).
void appendSnippet(std::string& out, const Span& span, const SourceManager& sm, bool color) {
  if (!span.valid()) return;
  LineColumn lc = sm.lineColumn(span.file, span.begin);
  std::string_view line = sm.lineText(span.file, lc.line);
  if (line.empty() && sm.contents(span.file).empty()) return;
  std::string num = std::to_string(lc.line);
  std::string gutter(num.size() + 4, ' ');
  std::string lineOut;
  // Tabs become spaces and other control bytes '?' (one column each, so the caret stays
  // aligned), so a snippet of a binary file never writes raw control bytes to the terminal.
  for (char c : line) {
    auto u = static_cast<unsigned char>(c);
    lineOut += c == '\t' ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  out += "   " + num + " | " + lineOut + "\n";
  uint32_t width = 1;
  uint32_t lineEnd = static_cast<uint32_t>(line.size()) + 1;
  if (span.size() > 1) width = std::min<uint32_t>(span.size(), lineEnd - std::min(lc.column, lineEnd));
  if (width == 0) width = 1;
  std::string marker = "^" + std::string(width - 1, '~');
  out += gutter + "| " + std::string(lc.column > 0 ? lc.column - 1 : 0, ' ') +
         paint(color, kGreen, marker) + "\n";
}

}  // namespace

std::string renderDiagnostic(const Diagnostic& d, const SourceManager& sm, bool color) {
  std::string out;
  if (d.span.valid()) out += paint(color, kBold, sm.location(d.span) + ": ");
  out += paint(color, severityColor(d.severity),
               std::string(severityName(d.severity)) + "[" + diagCodeString(d.code) + "]");
  out += paint(color, kBold, ": " + d.message) + "\n";
  appendSnippet(out, d.span, sm, color);
  for (const DiagNote& n : d.notes) {
    if (n.span.valid()) out += paint(color, kBold, sm.location(n.span) + ": ");
    out += paint(color, kCyan, "note") + ": " + n.message + "\n";
  }
  if (!d.help.empty()) out += paint(color, kCyan, "help") + ": " + d.help + "\n";
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
