// The load-imports pass: from the entry documents, load everything they import (FORMATS.md §9.2),
// transitively and each file once, with kind checks and the Origin of every CRD entry.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/loader.h"
#include "passes/pass.h"

namespace ork::passes {

/// Creates the `load-imports` pass. Starting from `module.entryDocuments` (all documents when that
/// list is empty) it loads, through `ctx.resolver`: registry imports (URL checks, §9.5 policy,
/// the pattern structure check and the useKomposer kind check; a Komposer pattern's own imports
/// first, cycles → ImportCycle), `imports.files` (Katalogs only: KomposerImportsKomposer,
/// KindNotAllowed), local and fetched motif refs of every CRD entry (kind Motif), `crdFile`s
/// (`loadCrdFile`) and `crFiles` (`loadCrFile`); the paths Simulate/E2E documents reference must
/// exist. A missing local file is ImportNotFound at the referencing value. Fills
/// `Document::importedBy`, `CrdEntry::origin`, `MotifImport::resolved`, `Module::loadOrder` and
/// `Module::importsIncomplete`.
PassPtr createLoadImportsPass();

/// Loads a pulled pattern directory (or a local stand-in for one): its `komposer.yaml` when
/// `useKomposer`, else its `katalog.yaml`, keeping only documents of the expected kind
/// (checkPatternKinds). `prefix` is the import's `registry "<url>"@<version>: `; `at` its span.
std::vector<std::unique_ptr<ir::Document>> loadPatternDocuments(frontend::LoadContext& ctx, const std::string& dir,
                                                                bool useKomposer, std::string_view prefix,
                                                                Span at);

/// The §10.3 kind rule of a pulled pattern: with `useKomposer` false every document of
/// katalog.yaml must be a Katalog, with it true every document of komposer.yaml a Komposer.
/// Reports UseKomposerMismatch (ORK1203, `<prefix>useKomposer is false but katalog.yaml contains
/// kind "Komposer"` / `<prefix>useKomposer is true but komposer.yaml contains kind "Katalog"`, with
/// the table's help line) or KindNotAllowed for other kinds, at `at`. Returns true when all fit.
bool checkPatternKinds(const std::vector<std::unique_ptr<ir::Document>>& docs, bool useKomposer,
                       std::string_view prefix, Span at, DiagnosticEngine& diags);

/// `kind "<k>" cannot be used here — expected kind: <allowed>` (FORMATS.md §1 "Envelope").
std::string kindNotAllowedMessage(ir::DocKind kind, std::string_view allowed);

}  // namespace ork::passes
