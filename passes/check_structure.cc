// Pattern and motif directory checks (FORMATS.md §10.3).
#include "passes/check_structure.h"

#include "support/strings.h"

namespace ork::passes {
namespace {

constexpr std::string_view kStructureFailed = "failed structure validation: ";

/// The help line: the §10.3 resolution of each kind of violation present.
std::string structureHelp(bool missing, bool empty) {
  std::vector<std::string> parts;
  if (missing) parts.push_back("Add the file to the upstream pattern");
  if (empty) parts.push_back("Populate the file in the upstream pattern");
  return join(parts, "; ");
}

bool requireDirectory(const FileSystem& fs, const std::string& dir, DiagnosticEngine& diags, Span at,
                      std::string_view prefix) {
  if (fs.isDirectory(dir)) {
    std::string error = fs.directoryError(dir);
    if (error.empty()) return true;
    // An unreadable directory: say so, rather than list every file in it as missing.
    diags.report(DiagCode::FileNotFound, at, std::string(prefix) + "cannot read directory '" + dir + "': " + error);
    return false;
  }
  diags.report(DiagCode::NotADirectory, at,
               std::string(prefix) + "'" + dir + "' is not a directory" + (fs.exists(dir) ? "" : " (it does not exist)"));
  return false;
}

}  // namespace

const std::vector<std::string>& requiredPatternFiles() {
  static const std::vector<std::string> files = {"crd.yaml", "katalog.yaml", "komposer.yaml", "cr.yaml", "README.md"};
  return files;
}

std::vector<std::string> patternStructureViolations(const FileSystem& fs, const std::string& dir) {
  std::vector<std::string> out;
  for (const std::string& f : requiredPatternFiles()) {
    auto size = fs.fileSize(joinPath(dir, f));
    if (!size) out.push_back("missing: " + f);
    else if (*size == 0) out.push_back("empty: " + f);
  }
  return out;
}

bool checkPatternStructure(const FileSystem& fs, const std::string& dir, DiagnosticEngine& diags, Span at,
                           std::string_view prefix) {
  if (!requireDirectory(fs, dir, diags, at, prefix)) return false;
  std::vector<std::string> violations = patternStructureViolations(fs, dir);
  if (violations.empty()) return true;
  bool missing = false, empty = false;
  for (const std::string& v : violations) (startsWith(v, "missing:") ? missing : empty) = true;
  diags.report(DiagCode::PatternStructure, at, std::string(prefix) + std::string(kStructureFailed) + join(violations, "; "));
  diags.help(structureHelp(missing, empty));
  return false;
}

bool checkMotifStructure(const FileSystem& fs, const std::string& dir, DiagnosticEngine& diags, Span at,
                         std::string_view prefix) {
  if (!requireDirectory(fs, dir, diags, at, prefix)) return false;
  bool ok = true;
  auto size = fs.fileSize(joinPath(dir, "motif.yaml"));
  if (!size || *size == 0) {
    diags.report(DiagCode::MotifFileMissing, at,
                 std::string(prefix) + std::string(kStructureFailed) + (size ? "empty: " : "missing: ") + "motif.yaml");
    diags.help(structureHelp(!size, size.has_value()));
    ok = false;
  }
  if (!fs.fileSize(joinPath(dir, "README.md"))) {
    diags.report(DiagCode::MotifStructure, at, std::string(prefix) + "motif structure: missing: README.md");
    diags.help("document the motif's inputs in a README.md beside motif.yaml");
  }
  return ok;
}

}  // namespace ork::passes
