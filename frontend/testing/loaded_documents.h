// Test helper shared by the frontend builder tests: load YAML text or a file through
// loadDocuments and query the documents and diagnostics by code and line:col.
#pragma once
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "frontend/loader.h"

namespace ork::frontend::testing {

/// A scratch directory under the system temp dir, removed with its contents at destruction.
struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    std::random_device rd;
    dir = std::filesystem::temp_directory_path() / ("ork-frontend-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// Writes `text` to `rel` (creating directories); returns the full path.
  std::string write(const std::string& rel, const std::string& text) const {
    std::filesystem::path p = dir / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

/// What one loadDocuments call produced, with its SourceManager and diagnostics.
struct Loaded {
  SourceManager sm;
  DiagnosticEngine diags;
  std::vector<std::unique_ptr<ir::Document>> docs;

  /// "line:col" of a span's start.
  std::string lc(Span s) const {
    LineColumn l = sm.lineColumn(s.file, s.begin);
    return std::to_string(l.line) + ":" + std::to_string(l.column);
  }
  /// The only document (fails the test when there is not exactly one).
  const ir::Document& doc() const {
    REQUIRE(docs.size() == 1);
    return *docs[0];
  }
  std::vector<const Diagnostic*> with(DiagCode code) const {
    std::vector<const Diagnostic*> out;
    for (const Diagnostic& d : diags.diagnostics())
      if (d.code == code) out.push_back(&d);
    return out;
  }
  /// The only diagnostic with `code` (fails the test otherwise, printing all of them).
  const Diagnostic& one(DiagCode code) const {
    auto all = with(code);
    INFO(renderAll(diags, sm, {}));
    REQUIRE(all.size() == 1);
    return *all[0];
  }
  std::string rendered() const { return renderAll(diags, sm, {}); }
  /// The document's referencedPaths as "value@line:col".
  std::vector<std::string> paths() const {
    std::vector<std::string> out;
    for (const ir::Located& p : doc().referencedPaths) out.push_back(p.value + "@" + lc(p.span));
    return out;
  }
};

/// Loads `text` as if it were the file `name` (the buffer is registered first, so
/// loadDocuments reads it from the SourceManager).
inline std::unique_ptr<Loaded> load(const std::string& text, const std::string& name) {
  auto l = std::make_unique<Loaded>();
  l->sm.addBuffer(name, text);
  LoadContext ctx{l->sm, l->diags};
  l->docs = loadDocuments(ctx, name);
  return l;
}

/// Loads a file from disk.
inline std::unique_ptr<Loaded> loadFile(const std::string& path) {
  auto l = std::make_unique<Loaded>();
  LoadContext ctx{l->sm, l->diags};
  l->docs = loadDocuments(ctx, path);
  return l;
}

/// A path under ../shared/corpus/orkestra/ (ORK_SHARED_DIR when set).
inline std::string corpus(const std::string& rel) {
  const char* shared = std::getenv("ORK_SHARED_DIR");
  return std::string(shared ? shared : "../shared") + "/corpus/orkestra/" + rel;
}

}  // namespace ork::frontend::testing
