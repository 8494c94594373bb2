// Test helpers for the passes: temporary directories, modules built by hand with spans into
// registered buffers, and a resolver that serves registry imports and network motifs from local
// directories. No registry server runs in these tests: a directory stands in for a pulled pattern,
// which is what RegistryImportResolver hands to load-imports (registry_resolver_test.cc tests that one).
#pragma once
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "frontend/loader.h"
#include "ir/module.h"
#include "passes/import_resolver.h"
#include "passes/pass.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::passes::testing {

/// A fresh directory under the system temp directory, removed with its contents at destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    auto base = std::filesystem::temp_directory_path();
    do {
      path_ = (base / ("ork-passes-" + std::to_string(rd()))).string();
    } while (std::filesystem::exists(path_));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  /// `path()/rel`.
  std::string at(const std::string& rel) const { return path_ + "/" + rel; }
  /// Writes `contents` to `rel` (creating directories); returns the full path.
  std::string write(const std::string& rel, const std::string& contents) const {
    std::string full = at(rel);
    std::filesystem::create_directories(std::filesystem::path(full).parent_path());
    std::ofstream(full, std::ios::binary) << contents;
    return full;
  }
  /// Creates the directory `rel`; returns the full path.
  std::string mkdir(const std::string& rel) const {
    std::filesystem::create_directories(at(rel));
    return at(rel);
  }

 private:
  std::string path_;
};

/// Serves registry imports (by clean URL) and network motifs (by location) from directories.
class DirectoryResolver : public LocalImportResolver {
 public:
  std::map<std::string, std::string> patterns;  // RegistryRef::url → directory
  std::map<std::string, std::string> motifs;    // MotifRef::location → directory
  std::vector<std::string> fetched;             // what was fetched, in order

  std::optional<std::string> fetchPattern(const RegistryRef& ref, const ir::RegistryImport& import,
                                          DiagnosticEngine& diags) override {
    auto it = patterns.find(ref.url);
    if (it == patterns.end()) return LocalImportResolver::fetchPattern(ref, import, diags);
    fetched.push_back(ref.source());
    return it->second;
  }
  std::optional<std::string> fetchMotif(const MotifRef& ref, const ir::MotifImport& import,
                                        DiagnosticEngine& diags) override {
    auto it = motifs.find(ref.location);
    if (it == motifs.end()) return LocalImportResolver::fetchMotif(ref, import, diags);
    fetched.push_back(ref.source());
    return it->second;
  }
};

/// Everything a pass needs, plus helpers to build documents and read diagnostics back.
struct Harness {
  SourceManager sm;
  DiagnosticEngine diags;
  DirectoryResolver resolver;
  PassContext ctx{sm, diags, resolver};
  ir::Module module;

  /// Registers a buffer (a file that need not exist on disk).
  FileId addFile(const std::string& name, const std::string& text) { return sm.addBuffer(name, text); }

  /// The span of the `occurrence`-th (0-based) occurrence of `needle` in `file`.
  Span find(FileId file, std::string_view needle, int occurrence = 0) const {
    std::string_view text = sm.contents(file);
    size_t pos = text.find(needle);
    for (int i = 0; i < occurrence && pos != std::string_view::npos; ++i) pos = text.find(needle, pos + 1);
    if (pos == std::string_view::npos) return {};
    return Span{file, static_cast<uint32_t>(pos), static_cast<uint32_t>(pos + needle.size())};
  }
  /// `file:line:col` of a span.
  std::string loc(Span s) const { return sm.location(s); }

  /// Adds a document to the module (not an entry).
  ir::Document& addDocument(ir::DocKind kind, const std::string& path, const std::string& name = "doc") {
    auto doc = std::make_unique<ir::Document>();
    doc->kind = kind;
    doc->path = path;
    doc->metadata.name.value = name;
    doc->crds.reserve(64);  // tests keep references to entries while adding more
    module.documents.push_back(std::move(doc));
    return *module.documents.back();
  }
  /// Adds an entry document.
  ir::Document& addEntry(ir::DocKind kind, const std::string& path, const std::string& name = "entry") {
    ir::Document& d = addDocument(kind, path, name);
    module.entryDocuments.push_back(module.documents.size() - 1);
    d.importedBy.source = path;
    d.importedBy.url = path;
    return d;
  }
  /// Loads every document of a file through the frontend and makes them entry documents.
  void loadEntry(const std::string& path) {
    frontend::LoadContext lctx{sm, diags, resolver.fileSystem()};
    for (auto& doc : frontend::loadDocuments(lctx, path)) {
      module.documents.push_back(std::move(doc));
      module.entryDocuments.push_back(module.documents.size() - 1);
    }
  }

  void run(const PassPtr& pass) { pass->run(module, ctx); }

  /// Each diagnostic as `file:line:col: severity[ORKnnnn]: message` (location "<unknown>" when
  /// it has none).
  std::vector<std::string> rendered() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.diagnostics())
      out.push_back(sm.location(d.span) + ": " + std::string(severityName(d.severity)) + "[" +
                    diagCodeString(d.code) + "]: " + d.message);
    return out;
  }
  /// Rendered diagnostics with the given code only.
  std::vector<std::string> rendered(DiagCode code) const {
    std::vector<std::string> out;
    const auto& all = diags.diagnostics();
    std::vector<std::string> r = rendered();
    for (size_t i = 0; i < all.size(); ++i)
      if (all[i].code == code) out.push_back(r[i]);
    return out;
  }
  /// The notes of diagnostic `i`, as `file:line:col: message`.
  std::vector<std::string> notes(size_t i) const {
    std::vector<std::string> out;
    for (const DiagNote& n : diags.diagnostics().at(i).notes) out.push_back(sm.location(n.span) + ": " + n.message);
    return out;
  }
};

/// Adds a CRD entry named `name` whose name span is `nameSpan`.
inline ir::CrdEntry& addCrd(ir::Document& doc, const std::string& name, Span nameSpan = {}) {
  ir::CrdEntry e;
  e.name = {name, nameSpan};
  e.span = nameSpan;
  e.origin.source = doc.importedBy.source.empty() ? doc.path : doc.importedBy.source;
  doc.crds.push_back(std::move(e));
  return doc.crds.back();
}

/// Adds a dependsOn entry.
inline ir::Dependency& addDependency(ir::CrdEntry& e, const std::string& name, Span span = {},
                                     ir::DependencyCondition c = ir::DependencyCondition::Started) {
  e.dependsOn.push_back(ir::Dependency{{name, span}, c, span});
  return e.dependsOn.back();
}

}  // namespace ork::passes::testing
