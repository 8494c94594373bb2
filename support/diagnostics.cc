// DiagnosticEngine and the code table; printing lives in diag_render.cc.
#include "support/diagnostics.h"

#include <algorithm>
#include <cstdio>

namespace ork {

const std::vector<DiagInfo>& diagTable() {
  static const std::vector<DiagInfo> table = [] {
    std::vector<DiagInfo> t = {
#define ORK_DIAG(num, name, sev, flag, summary) \
  {DiagCode::name, #name, Severity::sev, flag, summary},
#include "support/diag_codes.def"
#undef ORK_DIAG
    };
    std::sort(t.begin(), t.end(), [](const DiagInfo& a, const DiagInfo& b) {
      return static_cast<int>(a.code) < static_cast<int>(b.code);
    });
    return t;
  }();
  return table;
}

const DiagInfo& diagInfo(DiagCode code) {
  const auto& t = diagTable();
  auto it = std::lower_bound(t.begin(), t.end(), code, [](const DiagInfo& a, DiagCode c) {
    return static_cast<int>(a.code) < static_cast<int>(c);
  });
  return *it;  // every DiagCode value comes from the table
}

std::string diagCodeString(DiagCode code) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "ORK%04d", static_cast<int>(code));
  return buf;
}

std::string_view severityName(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

Diagnostic& DiagnosticEngine::report(DiagCode code, Span span, std::string message) {
  const DiagInfo& info = diagInfo(code);
  Severity sev = info.severity;
  lastDropped_ = false;
  if (sev == Severity::Warning) {
    if (std::find(disabledFlags_.begin(), disabledFlags_.end(), info.flag) != disabledFlags_.end())
      lastDropped_ = true;
    else if (warningsAsErrors_)
      sev = Severity::Error;
  }
  diags_.push_back(Diagnostic{code, sev, span, std::move(message), {}, {}, {}});
  if (lastDropped_) {
    // Keep a scratch slot so callers can still add notes; it is removed on the next report.
    static thread_local Diagnostic scratch;
    scratch = std::move(diags_.back());
    diags_.pop_back();
    return scratch;
  }
  if (sev == Severity::Error) ++errors_;
  if (sev == Severity::Warning) ++warnings_;
  return diags_.back();
}

void DiagnosticEngine::note(Span span, std::string message) {
  if (lastDropped_ || diags_.empty()) return;
  diags_.back().notes.push_back({span, std::move(message)});
}

void DiagnosticEngine::help(std::string text) {
  if (lastDropped_ || diags_.empty()) return;
  diags_.back().help = std::move(text);
}

void DiagnosticEngine::setFlagEnabled(std::string_view flag, bool enabled) {
  auto it = std::find(disabledFlags_.begin(), disabledFlags_.end(), flag);
  if (enabled && it != disabledFlags_.end()) disabledFlags_.erase(it);
  if (!enabled && it == disabledFlags_.end()) disabledFlags_.emplace_back(flag);
}

bool DiagnosticEngine::applyWarningOption(std::string_view option) {
  if (option == "error") {
    warningsAsErrors_ = true;
    return true;
  }
  bool enable = true;
  if (option.substr(0, 3) == "no-") {
    enable = false;
    option.remove_prefix(3);
  }
  for (const DiagInfo& info : diagTable()) {
    if (info.severity == Severity::Warning && info.flag == option) {
      setFlagEnabled(option, enable);
      return true;
    }
  }
  return false;
}

bool DiagnosticEngine::has(DiagCode code) const {
  return std::any_of(diags_.begin(), diags_.end(), [&](const Diagnostic& d) { return d.code == code; });
}

Diagnostic* DiagnosticEngine::find(DiagCode code, Span span) {
  for (Diagnostic& d : diags_)
    if (d.code == code && d.span == span) return &d;
  return nullptr;
}

void DiagnosticEngine::absorb(DiagnosticEngine&& other) {
  for (Diagnostic& d : other.diags_) {
    if (d.severity == Severity::Error) ++errors_;
    if (d.severity == Severity::Warning) ++warnings_;
    diags_.push_back(std::move(d));
  }
  other.clear();
}

void DiagnosticEngine::clear() {
  diags_.clear();
  errors_ = warnings_ = 0;
  lastDropped_ = false;
}

}  // namespace ork
