// Loading documents: read a file, parse YAML, check the envelope, dispatch on kind, validate,
// normalise and extract the typed IR. The entry point every command uses.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "frontend/yaml_reader.h"
#include "ir/module.h"
#include "support/diagnostics.h"
#include "support/filesystem.h"
#include "support/source_manager.h"

namespace ork::frontend {

inline constexpr const char* kOrkestraApiVersion = "orkestra.orkspace.io/v1";

/// What every loader function needs. Diagnostics are collected, never thrown.
struct LoadContext {
  SourceManager& sm;
  DiagnosticEngine& diags;
  const FileSystem& fs = realFileSystem();
};

/// Reads a file into the SourceManager (reusing a buffer already read under the same
/// path). Reports FileNotFound (at `referencedFrom` when given), FileTooLarge or
/// BinaryFile; returns nullopt then. `what` names the file's role in messages
/// ("crdFile", "imports.files[0]").
std::optional<FileId> readSource(LoadContext& ctx, const std::string& path, Span referencedFrom = {},
                                 std::string_view what = "file");

/// Parses `file` (read by readSource) into YAML documents. When it holds none and parsing reported no
/// error, reports EmptyFile ("<what> '<path>' holds no YAML document", `what` omitted when empty) with a
/// "referenced here" note at `referencedFrom` when given.
std::vector<YamlDocument> readDocuments(LoadContext& ctx, FileId file, const std::string& path,
                                        std::string_view what, Span referencedFrom);

/// Loads every Orkestra document of a YAML file. Each document's envelope is checked
/// (apiVersion, kind, metadata.name) and it is built by its kind's builder. A document
/// with errors is still returned (as far as it could be built) so later passes can
/// report more; callers stop before running anything when diags has errors.
std::vector<std::unique_ptr<ir::Document>> loadDocuments(LoadContext& ctx, const std::string& path,
                                                         Span referencedFrom = {});

/// Builds one document from a parsed root: envelope, then the kind's builder.
std::unique_ptr<ir::Document> buildDocument(LoadContext& ctx, ir::NodePtr root, const std::string& path,
                                            FileId file, int indexInFile);

/// Loads a CustomResourceDefinition file (`crdFile`). Reports InvalidCrdFile.
std::unique_ptr<ir::CrdFile> loadCrdFile(LoadContext& ctx, const std::string& path, Span referencedFrom = {});

/// Loads every document of a CR file (`crFiles`, `cr.yaml`). Reports InvalidCr.
std::vector<std::unique_ptr<ir::CrDocument>> loadCrFile(LoadContext& ctx, const std::string& path,
                                                        Span referencedFrom = {});

// ── per-kind builders: validate `doc.root` against the kind's shape, normalise, and
//    fill the typed fields. Each returns false when the document is unusable. ──────
bool buildKatalog(LoadContext& ctx, ir::Document& doc);    // build_katalog.cc
bool buildKomposer(LoadContext& ctx, ir::Document& doc);   // build_katalog.cc
bool buildMotif(LoadContext& ctx, ir::Document& doc);      // build_motif.cc
bool buildSimulate(LoadContext& ctx, ir::Document& doc);   // build_simulate.cc
bool buildE2E(LoadContext& ctx, ir::Document& doc);        // build_simulate.cc

/// Fills doc.metadata (and lifecycle/policy when present) from the validated root.
void extractMetadata(const ir::Node& root, ir::Document& doc, DiagnosticEngine& diags);  // build_common.cc

}  // namespace ork::frontend
