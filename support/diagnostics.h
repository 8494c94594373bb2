// Diagnostics: coded messages attached to spans, collected by passes and printed by the CLI.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/span.h"

namespace ork {

enum class Severity { Note, Warning, Error };

/// Every diagnostic code ork can emit; generated from support/diag_codes.def.
enum class DiagCode : uint16_t {
#define ORK_DIAG(num, name, sev, flag, summary) name = num,
#include "support/diag_codes.def"
#undef ORK_DIAG
};

/// Static facts about a code: its number, name, default severity, -W flag and summary.
struct DiagInfo {
  DiagCode code;
  std::string_view name;
  Severity severity;
  std::string_view flag;
  std::string_view summary;
};

/// The whole code table in numeric order.
const std::vector<DiagInfo>& diagTable();
/// Facts about one code.
const DiagInfo& diagInfo(DiagCode code);
/// "ORK1102" for DiagCode::UnknownKey.
std::string diagCodeString(DiagCode code);
std::string_view severityName(Severity s);

/// A secondary location or remark: printed as `file:line:col: note: …` (or without a
/// location when the span is invalid).
struct DiagNote {
  Span span;
  std::string message;
};

/// One diagnostic: a code, the severity it is reported with, a primary span, the
/// message, notes with their own locations and an optional `help:` line.
struct Diagnostic {
  DiagCode code;
  Severity severity;
  Span span;
  std::string message;
  std::vector<DiagNote> notes;
  std::string help;
  /// Data path of the offending node (`spec.crds.webapp.workers`), when known.
  std::string path;
};

/// Collects diagnostics. Passes report and return; only tools/ork decides exit codes.
/// Not thread-safe.
class DiagnosticEngine {
 public:
  /// Reports a diagnostic with the code's default severity. Returns it for
  /// adding notes: `diags.report(...).notes.push_back(...)`.
  Diagnostic& report(DiagCode code, Span span, std::string message);
  /// Adds a note to the last reported diagnostic (no-op when none).
  void note(Span span, std::string message);
  /// Sets the help line of the last reported diagnostic.
  void help(std::string text);

  /// Warnings become errors (`--strict`, or `-Werror`).
  void setWarningsAsErrors(bool on) { warningsAsErrors_ = on; }
  /// `-Wno-<flag>` silences a warning; `-W<flag>` turns it back on.
  void setFlagEnabled(std::string_view flag, bool enabled);
  /// Applies one `-W…` option; returns false when the flag is unknown.
  bool applyWarningOption(std::string_view option);

  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  size_t errorCount() const { return errors_; }
  size_t warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ > 0; }
  /// True when some diagnostic with this code was reported.
  bool has(DiagCode code) const;
  /// The reported diagnostic with this code and primary span, so a later pass can complete it
  /// (check-template-types adds the schema's did-you-mean to a capitalised-root hint); nullptr when none.
  Diagnostic* find(DiagCode code, Span span);
  /// Moves all diagnostics of `other` into this engine.
  void absorb(DiagnosticEngine&& other);
  void clear();

 private:
  std::vector<Diagnostic> diags_;
  std::vector<std::string> disabledFlags_;
  size_t errors_ = 0;
  size_t warnings_ = 0;
  bool warningsAsErrors_ = false;
  bool lastDropped_ = false;
};

class SourceManager;

/// Output options of the diagnostic printers.
struct RenderOptions {
  bool color = false;
  bool json = false;
};

/// Prints one diagnostic in ork's human shape:
///   file:line:col: error[ORK1102]: message
///      18 |             replcas: 3
///         |             ^~~~~~~
///   file:line:col: note: …
///   help: …
std::string renderDiagnostic(const Diagnostic& d, const SourceManager& sm, bool color);
/// One JSON line: {"code","severity","file","line","column","endLine","endColumn","message","path","notes":[…],"help"}.
std::string renderDiagnosticJson(const Diagnostic& d, const SourceManager& sm);
/// Prints every diagnostic in order, then (text mode) a summary line
/// "N error(s), M warning(s)" when there were any.
std::string renderAll(const DiagnosticEngine& diags, const SourceManager& sm, RenderOptions opts);

/// Whether stderr should be coloured: a TTY, NO_COLOR unset or empty, TERM not "dumb".
bool stderrWantsColor();

/// docs/errors.md, generated from the code table.
std::string renderErrorsMarkdown();

}  // namespace ork
