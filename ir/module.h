// The IR of loaded documents: Katalogs, Komposers, Motifs, Simulate/E2E documents, CRD files and CRs.
// Typed fields carry what passes need; `body`/`root` keep the normalised tree with a span on every node.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/node.h"
#include "support/span.h"

namespace ork::ir {

enum class DocKind { Katalog, Komposer, Motif, Simulate, E2E };
std::string_view docKindName(DocKind k);

/// A string with the span it was read from.
struct Located {
  std::string value;
  Span span;
};

struct Metadata {
  Located name;
  Located version;
  std::string description, author, license, namespace_;
  std::vector<std::string> tags;
  Span span;
};

/// `lifecycle.deprecation` (or `metadata.deprecation`, or legacy `metadata.deprecated`).
struct Deprecation {
  bool present = false;  // any deprecation field, or maturity: deprecated
  std::string message, migratedTo;
  std::string timelineFrom, timelineTo;  // YYYY-MM-DD, validated
  Span span;
};

/// One `lifecycle.accept.patterns[]` entry.
struct AcceptPattern {
  std::string name, author, version;  // version: a semver range, may be empty
  Span span;
};

struct Lifecycle {
  Located maturity;  // alpha | beta | stable | deprecated, or empty
  Deprecation deprecation;
  std::string compatOrkestra, compatKubernetes;
  std::vector<AcceptPattern> accept;
};

struct Policy {
  Located minMaturity;  // policy.lifecycle.minMaturity
  std::vector<Located> allowedRegistries;
  Span span;
};

/// Credentials come from environment variables only (FORMATS.md §10.2).
struct ImportAuth {
  std::string type;  // github | bearer | basic
  std::string fromEnv, usernameFromEnv, passwordFromEnv;
  Span span;
};

/// `imports.registry[i]` (a plain string is {url}).
struct RegistryImport {
  Located url;
  std::string version;
  bool oci = false;
  bool useKomposer = false;
  std::optional<ImportAuth> auth;
  int index = 0;
  Span span;
};

/// `imports.files[i]`: a local path or an HTTPS url.
struct FileImport {
  Located path;  // local path, or url when isUrl
  bool isUrl = false;
  std::optional<ImportAuth> auth;
  int index = 0;
  Span span;
};

struct Document;

/// A motif import in a CRD entry (`imports[i]`).
struct MotifImport {
  Located ref;
  std::string version;
  bool oci = false;
  const Node* with = nullptr;  // points into the entry's body (may be null)
  std::optional<ImportAuth> auth;
  int index = 0;
  Span span;
  /// The loaded Motif document; set by the load-imports pass (null when unresolved).
  const Document* resolved = nullptr;
};

enum class DependencyCondition { Started, Healthy };

struct Dependency {
  Located name;
  DependencyCondition condition = DependencyCondition::Started;
  Span span;
};

struct ApiTypes {
  std::string group, version, kind, plural;
  bool present = false;
  Span span;
};

/// Where a CRD entry came from, for "defined in …" messages and notes.
struct Origin {
  std::string source;  // "file:./katalogs/db.yaml", "registry:ghcr.io/acme/pg@v14", "komposer.yaml"
  Span span;
};

/// One operator: a `spec.crds` entry, normalised (FORMATS.md §3.1, §4.1). `body` holds the
/// normalised mapping: list form and shorthands resolved, flat admission keys under
/// `admission`, older operatorBox shapes moved to `runtime/reconcile/emit/observe/preReconcile`.
struct CrdEntry {
  Located name;
  Span span;
  bool enabled = true;
  bool typed = false;    // §1.2
  ApiTypes apiTypes;     // from apiTypes (crdFile fills it in passes)
  Located crdFile;       // empty when none
  std::vector<Located> crFiles;
  std::vector<Dependency> dependsOn;
  std::vector<MotifImport> imports;
  std::unique_ptr<Node> body;
  Origin origin;
  /// Declared in an inline override position (Komposer spec.crds, or an imports.files
  /// Katalog entry with neither apiTypes nor crdFile): merges onto an imported CRD.
  bool definesCrd() const { return apiTypes.present || !crdFile.value.empty(); }
};

/// A Motif input (FORMATS.md §8.1).
struct MotifInput {
  Located name;
  bool required = false;
  const Node* defaultValue = nullptr;  // into the document root
  std::string type = "string";          // string | integer | number | boolean
  Span span;
};

/// How a document entered the module (FORMATS.md §9.2); set by the load-imports pass.
struct ImportRecord {
  enum class Kind { Entry, Registry, File, Motif };
  Kind kind = Kind::Entry;
  std::string source;   // Origin text: "registry:ghcr.io/acme/pg@v14", "file:./katalogs/db.yaml", "motif:./motifs/web"
  std::string url;      // as named in messages: registry URL without version, file path or URL, motif ref
  std::string version;  // registry/motif version ("" for files and local motifs)
  const Document* importer = nullptr;  // null for entry documents
  Span span;            // the import's value in the importing document
};

/// One loaded document of any kind.
struct Document {
  DocKind kind = DocKind::Katalog;
  std::string path;  // as given or resolved (relative to the working directory)
  FileId file = 0;
  int indexInFile = 0;
  Span span;         // the document's root mapping
  Span kindSpan;
  Metadata metadata;
  Lifecycle lifecycle;
  std::optional<Policy> policy;
  std::unique_ptr<Node> root;  // the whole (validated) document

  // Katalog / Komposer
  std::vector<CrdEntry> crds;
  std::vector<RegistryImport> registryImports;  // Komposer only
  std::vector<FileImport> fileImports;          // Komposer only
  std::vector<std::string> finalizers;          // Katalog spec.finalizers

  // Motif
  std::vector<MotifInput> inputs;

  // Simulate / E2E: referenced paths (katalog, cr, crd, imports), for resolution
  std::vector<Located> referencedPaths;

  /// How this document was loaded (the first import that reached it).
  ImportRecord importedBy;
};

/// A CustomResourceDefinition read from a `crdFile`.
struct CrdFile {
  std::string path;
  FileId file = 0;
  std::string group, kind, plural, singular, scope;  // scope: Namespaced | Cluster
  std::string storageVersion;
  std::vector<std::string> servedVersions;
  bool hasStatusSubresource = false;
  /// openAPIV3Schema per version name (kept for the type checks of §7.4).
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> schemas;
  std::unique_ptr<Node> root;
  Span span;
};

/// One document of a CR file (an example custom resource or a seeded object).
struct CrDocument {
  std::string path;
  FileId file = 0;
  std::string apiVersion, kind, name, namespace_;
  std::unique_ptr<Node> root;
  Span span;
};

/// Everything loaded for one command: the entry documents, what they import, and the
/// CRD and CR files they reference. Documents are owned here and never move.
struct Module {
  std::vector<std::unique_ptr<Document>> documents;
  std::vector<std::unique_ptr<CrdFile>> crdFiles;
  std::vector<std::unique_ptr<CrDocument>> crs;
  /// Indexes into `documents` of the entry documents (what the user named).
  std::vector<size_t> entryDocuments;
  /// Katalogs and Komposers in the load order of FORMATS.md §9.2 (a Komposer's imports
  /// before the Komposer itself); set by the load-imports pass.
  std::vector<Document*> loadOrder;
  /// Some import could not be loaded, so overrides naming its CRDs cannot be checked.
  bool importsIncomplete = false;
  /// The composed CRDs (FORMATS.md §9.3), set by the merge-overrides pass, in definition order:
  /// per CRD name one entry whose `body` is the definition's body with every override
  /// deep-merged onto it in load order, and whose typed fields are re-derived from that body.
  /// `name`, `span` and `origin` are the definition's. Every node of `body` keeps the span of
  /// the document it came from: a value whose span lies outside the definition's file
  /// (`name.span.file`) was overridden there. Empty before the pass runs.
  std::vector<CrdEntry> composedCrds;
};

}  // namespace ork::ir
