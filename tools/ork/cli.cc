// Printing for the CLI: diagnostics on stderr in text or JSON lines, and coded usage errors.
#include "tools/ork/cli.h"

#include <cstdlib>
#include <iostream>

namespace ork::cli {
namespace {

// NO_COLOR set and non-empty turns colour off, even with --color=always (https://no-color.org).
bool noColorSet() {
  const char* v = std::getenv("NO_COLOR");
  return v && *v;
}

}  // namespace

RenderOptions renderOptions(const GlobalOptions& global) {
  RenderOptions opts;
  opts.json = global.diagnostics == "json";
  // JSON is never coloured, nor anything with NO_COLOR; "auto" asks whether stderr is a terminal that
  // wants colour.
  opts.color = !opts.json && !noColorSet() &&
               (global.color == "always" || (global.color == "auto" && stderrWantsColor()));
  return opts;
}

void printDiagnostics(const DiagnosticEngine& diags, const SourceManager& sm, const GlobalOptions& global) {
  std::cerr << renderAll(diags, sm, renderOptions(global));
  std::cerr.flush();
}

int usageError(const GlobalOptions& global, const std::string& message, const std::string& help) {
  DiagnosticEngine diags;
  diags.report(DiagCode::UsageError, Span{}, message);
  if (!help.empty()) diags.help(help);
  SourceManager sm;
  RenderOptions opts = renderOptions(global);
  // A usage error is one line and a hint; the "1 error(s)" summary would only add noise.
  std::string out;
  for (const Diagnostic& d : diags.diagnostics())
    out += opts.json ? renderDiagnosticJson(d, sm) + "\n" : renderDiagnostic(d, sm, opts.color);
  std::cerr << out;
  std::cerr.flush();
  return kExitUsage;
}

}  // namespace ork::cli
