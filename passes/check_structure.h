// The pattern-directory check of FORMATS.md §10.3 (the five required files, each non-empty) and the
// motif-directory check (a non-empty motif.yaml, a README.md). Used by `ork validate -f DIR`, after
// every pull, and by the load-imports pass.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "support/diagnostics.h"
#include "support/filesystem.h"

namespace ork::passes {

/// crd.yaml, katalog.yaml, komposer.yaml, cr.yaml, README.md — the §10.3 order.
const std::vector<std::string>& requiredPatternFiles();

/// The violations of a pattern directory in §10.3 order, each `missing: <file>` or
/// `empty: <file>` (empty when the directory is complete).
std::vector<std::string> patternStructureViolations(const FileSystem& fs, const std::string& dir);

/// Checks a pattern directory and reports every violation in one PatternStructure error (ORK1501)
/// at `at`: `<prefix>failed structure validation: missing: cr.yaml; empty: README.md`, with the
/// §10.3 resolution as help. `prefix` names a pulled import (`registry "<url>"@<version>: `).
/// A path that is not a directory is NotADirectory (ORK0005). Returns true when the directory passes.
bool checkPatternStructure(const FileSystem& fs, const std::string& dir, DiagnosticEngine& diags, Span at = {},
                           std::string_view prefix = "");

/// Checks a motif directory: a missing or empty motif.yaml is MotifFileMissing (ORK1503,
/// `<prefix>failed structure validation: missing: motif.yaml`), a missing README.md the warning
/// MotifStructure (ORK1502, `<prefix>motif structure: missing: README.md`). Returns false only on
/// errors.
bool checkMotifStructure(const FileSystem& fs, const std::string& dir, DiagnosticEngine& diags, Span at = {},
                         std::string_view prefix = "");

}  // namespace ork::passes
