// The checks `ork push` runs before anything is uploaded (FORMATS.md §11.2 steps 1–3): the pattern's
// kind, the version/tag rule (and --update-meta), structure and full validation, the local-import block,
// the files the pattern references, and the manifest annotations of §11.1 taken from its documents.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/module.h"
#include "passes/import_resolver.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::cli {

/// The document a push publishes: `katalog.yaml` (kind Katalog) or `motif.yaml` (kind Motif).
struct PushDocument {
  bool motif = false;
  std::string dir;       // the pushed directory, as given
  std::string fileName;  // "katalog.yaml" | "motif.yaml"
  std::string file;      // <dir>/<fileName>
  /// The documents of `file`, loaded with the frontend (spans point into it); the entry documents are
  /// those of the pushed kind. runPushChecks runs the validate pipeline on this module.
  ir::Module module;
  ir::Document* doc = nullptr;  // the first entry document: its metadata is what is pushed
  /// Files the loader read while loading `file` (its includes), as the loader named them.
  std::vector<std::string> includedFiles;
};

/// Step 1: `<dir>/katalog.yaml` with kind Katalog, else `<dir>/motif.yaml` with kind Motif, loaded with the
/// frontend loader. Neither, or both, is PushNoPattern (ORK1820); a missing or non-directory `dir` is
/// NotADirectory (ORK0005). Load errors of the file are reported too; nullopt on any error.
std::optional<PushDocument> loadPushDocument(const std::string& dir, SourceManager& sm,
                                             DiagnosticEngine& diags);

/// Step 2: `metadata.version` must equal `tag` — a hard error no flag bypasses (PushVersionMismatch,
/// ORK1821, at the version's value): `katalog.yaml: metadata.version "v1.0.0" does not match provided tag
/// "v1.1.0"; use '--update-meta' to set it`. With `updateMeta` the file is rewritten instead: just that
/// scalar (plain, or quoted in its own quote style; a missing `version` is added after `name`), through a
/// temporary file and rename, and `updated katalog.yaml: metadata.version -> "v1.1.0"` is printed to
/// stdout; a value that cannot be rewritten in place is PushUpdateMetaFailed (ORK1830). Returns false on
/// error; `*updated` tells whether the file changed (the caller then loads it again).
bool enforceVersion(const PushDocument& push, const std::string& tag, bool updateMeta,
                    const SourceManager& sm, DiagnosticEngine& diags, bool* updated);

/// What the step-3 checks found that the upload needs.
struct PushContents {
  /// Paths relative to the pushed directory to push beyond the §11.1 fixed files: files the Katalog
  /// references (crdFile, crFiles, includes, Simulate/E2E paths), go.mod, go.sum, Makefile, a motif's
  /// example/.
  std::vector<std::string> extraFiles;
  /// The io.orkestra.katalog.* annotations (§1.2, §2, §11.1) of a Katalog; empty for a Motif.
  std::map<std::string, std::string> katalogAnnotations;
};

/// Step 3 on a loaded push document: the structure check (§10.3; a motif: motif.yaml and README.md),
/// full validation through `resolver` (the validate pipeline on the Katalog or Motif, komposer.yaml,
/// simulate.yaml and e2e.yaml parsed), the local-import block (PushLocalImports, ORK1823: `push blocked:
/// local file imports in katalog.yaml`, one note per `spec.crds.<crd>.imports[<i>]: "<path>"`), and files
/// referenced from outside the directory (PushFileOutsideDir, ORK1824). Returns false on any error.
bool runPushChecks(PushDocument& push, passes::ImportResolver& resolver, SourceManager& sm,
                   DiagnosticEngine& diags, PushContents* out);

/// The §11.1 manifest annotations of the pushed document: created (`createdAt`), the
/// org.opencontainers.image.* and io.orkestra.pattern.* keys from metadata, plus `contents`'s
/// io.orkestra.katalog.* keys. Empty values are left out.
std::map<std::string, std::string> patternAnnotations(const PushDocument& push, const PushContents& contents,
                                                      const std::string& createdAt);

}  // namespace ork::cli
