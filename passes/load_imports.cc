// load-imports: walks the import graph from the entry documents (FORMATS.md §9.2) and loads every
// referenced document, CRD file and CR file once, in load order.
#include "passes/load_imports.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "passes/check_lifecycle.h"
#include "passes/check_structure.h"
#include "passes/import_resolver.h"
#include "support/strings.h"

namespace ork::passes {
namespace {

using ir::Document;
using ir::ImportRecord;

Span preferred(Span a, Span b) { return a.valid() ? a : b; }

bool isUrl(std::string_view s) { return startsWith(s, "https://") || startsWith(s, "http://"); }

/// A url written exactly `$NAME` or `${NAME}` (§9.1) names that environment variable.
std::optional<std::string> envReference(const std::string& text) {
  if (startsWith(text, "${") && endsWith(text, "}") && text.size() > 3) return text.substr(2, text.size() - 3);
  if (startsWith(text, "$") && text.size() > 1 && text.find_first_of("{}/:") == std::string::npos)
    return text.substr(1);
  return std::nullopt;
}

/// One Komposer being loaded, for the cycle chain.
struct StackEntry {
  std::string path;
  std::string label;
};

class ImportLoader {
 public:
  ImportLoader(ir::Module& module, PassContext& ctx)
      : module_(module), ctx_(ctx), fs_(ctx.resolver.fileSystem()), lctx_{ctx.sm, ctx.diags, fs_} {}

  void run() {
    std::vector<size_t> entries = module_.entryDocuments;
    if (entries.empty())
      for (size_t i = 0; i < module_.documents.size(); ++i) entries.push_back(i);
    // Entry files count as loaded, so an import of one (however its path is spelled) reuses it.
    for (size_t i : entries) files_[fileKey(module_.documents[i]->path)].push_back(module_.documents[i].get());
    for (size_t i : entries) {
      Document& doc = *module_.documents[i];
      doc.importedBy = ImportRecord{ImportRecord::Kind::Entry, doc.path, doc.path, "", nullptr, {}};
      policy_ = allowedRegistriesPolicy(doc);
      loadDocument(doc, doc.path);
    }
  }

 private:
  void loadDocument(Document& doc, const std::string& label) {
    switch (doc.kind) {
      case ir::DocKind::Komposer:
        stack_.push_back({fileKey(doc.path), label});
        for (const ir::RegistryImport& imp : doc.registryImports) loadRegistry(doc, imp);
        for (const ir::FileImport& imp : doc.fileImports) loadFile(doc, imp);
        stack_.pop_back();
        loadCrdReferences(doc);
        module_.loadOrder.push_back(&doc);
        break;
      case ir::DocKind::Katalog:
        loadCrdReferences(doc);
        module_.loadOrder.push_back(&doc);
        break;
      case ir::DocKind::Motif: break;
      case ir::DocKind::Simulate:
      case ir::DocKind::E2E: checkReferencedPaths(doc); break;
    }
  }

  Document* adopt(std::unique_ptr<Document> doc, const ImportRecord& record) {
    doc->importedBy = record;
    module_.documents.push_back(std::move(doc));
    return module_.documents.back().get();
  }

  bool allowed(const std::string& policyUrl, const std::string& written, Span at, const std::string& path) {
    if (!policy_ || policyUrl.empty() || registryAllowed(policyUrl, policy_->allowedRegistries)) return true;
    reportRegistryNotAllowed(written, *policy_, at, ctx_.diags).path = path;
    module_.importsIncomplete = true;
    return false;
  }

  Diagnostic& notFound(Span at, const std::string& message, const std::string& path) {
    Diagnostic& d = ctx_.diags.report(DiagCode::ImportNotFound, at, message);
    d.path = path;
    module_.importsIncomplete = true;
    return d;
  }

  bool isFile(const std::string& path) const { return fs_.fileSize(path).has_value(); }

  /// ork.lock's `usedBy` for an import at `place` of `doc`: the place itself in an entry document,
  /// else prefixed by the source of the import that brought `doc` in (`registry:<url>@<v> imports.registry[0]`).
  static std::string usedBy(const Document& doc, const std::string& place) {
    if (doc.importedBy.kind == ImportRecord::Kind::Entry) return place;
    return doc.importedBy.source + " " + place;
  }

  /// The key under which a file loads once: its canonical path (symbolic links, `.` and `..` resolved), so
  /// `./kat1.yaml` and `../k/kat1.yaml` are one file; the path as written when it cannot be resolved.
  static std::string fileKey(const std::string& path) {
    std::error_code ec;
    std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ec);
    return ec ? joinPath(".", path) : canonical.string();
  }

  // ── imports.registry ──────────────────────────────────────────────────────
  void loadRegistry(Document& importer, const ir::RegistryImport& imp) {
    std::string path = "imports.registry[" + std::to_string(imp.index) + "]";
    Span at = preferred(imp.url.span, imp.span);
    RegistryRef ref = parseRegistryUrl(imp.url.value, imp.version, imp.oci, ctx_.resolver.gitlabHosts());
    if (!ref.valid) {
      reportInvalidUrl(ref, at, ctx_.diags).path = path;
      module_.importsIncomplete = true;
      return;
    }
    if (ref.versionFieldIgnored) {
      ctx_.diags.report(DiagCode::RegistryVersionIgnored, at,
                        ref.display() + ": version \"" + imp.version + "\" is ignored; the URL names " + ref.version)
          .path = path;
    }
    if (!allowed(ref.policyUrl(), imp.url.value, at, path)) return;
    std::optional<std::string> dir;
    ctx_.resolver.setImportSite(usedBy(importer, path));
    if (ref.kind == SourceKind::OciLayout) {
      std::string layoutDir = ctx_.resolver.resolveLocal(importer.path, ref.url.substr(std::string("oci-layout:").size()));
      dir = ctx_.resolver.fetchLayout({ref.display(), ref.url, layoutDir, ref.version, false, at}, ctx_.diags);
    } else {
      dir = ctx_.resolver.fetchPattern(ref, imp, ctx_.diags);
    }
    if (!dir || !checkPatternStructure(fs_, *dir, ctx_.diags, at, ref.display() + ": ")) {
      module_.importsIncomplete = true;
      return;
    }
    std::string file = joinPath(*dir, imp.useKomposer ? "komposer.yaml" : "katalog.yaml");
    ImportRecord record{ImportRecord::Kind::Registry, ref.source(), ref.url, ref.version, &importer, at};
    if (files_.count(fileKey(file))) {  // each file loads once
      reportCycle(fileKey(file), record.source, at);
      return;
    }
    std::vector<Document*> added;
    for (auto& doc : loadPatternDocuments(lctx_, *dir, imp.useKomposer, ref.display() + ": ", at))
      added.push_back(adopt(std::move(doc), record));
    files_[fileKey(file)] = added;
    for (Document* doc : added) loadDocument(*doc, record.source);
  }

  /// A Komposer file still being loaded means the Komposers import each other: ImportCycle with
  /// the chain, at the import that closes it. Returns false when `file` is not being loaded.
  bool reportCycle(const std::string& file, const std::string& label, Span at) {
    for (size_t i = 0; i < stack_.size(); ++i) {
      if (stack_[i].path != file) continue;
      std::vector<std::string> chain;
      for (size_t j = i; j < stack_.size(); ++j) chain.push_back(stack_[j].label);
      chain.push_back(stack_[i].label);
      ctx_.diags.report(DiagCode::ImportCycle, at, "Komposer import cycle: " + join(chain, " → "));
      ctx_.diags.note({}, "this import (" + label + ") loads a Komposer that is still being loaded");
      return true;
    }
    return false;
  }

  /// imports.files holds Katalogs only: reports KomposerImportsKomposer or KindNotAllowed for a
  /// document of another kind. Returns true for a Katalog.
  bool checkFileImportKind(const Document& doc, const std::string& text, Span at, const std::string& path) {
    if (doc.kind == ir::DocKind::Katalog) return true;
    bool komposer = doc.kind == ir::DocKind::Komposer;
    Diagnostic& d = ctx_.diags.report(
        komposer ? DiagCode::KomposerImportsKomposer : DiagCode::KindNotAllowed, at,
        komposer ? "a Komposer cannot import another Komposer — only Katalog files are valid imports"
                 : kindNotAllowedMessage(doc.kind, "Katalog"));
    d.path = path;
    ctx_.diags.note(doc.kindSpan, "\"" + text + "\" declares kind " + std::string(ir::docKindName(doc.kind)) + " here");
    return false;
  }

  // ── imports.files ─────────────────────────────────────────────────────────
  void loadFile(Document& importer, const ir::FileImport& imp) {
    std::string path = "imports.files[" + std::to_string(imp.index) + "]";
    Span at = preferred(imp.path.span, imp.span);
    std::string text = imp.path.value;
    if (auto var = envReference(text)) {
      const char* value = std::getenv(var->c_str());
      if (!value || !*value) {
        notFound(at, "environment variable \"" + *var + "\" named by " + path + " is not set or empty", path);
        return;
      }
      text = value;
    }
    std::string local, source = "file:" + text;
    if (isUrl(text)) {
      if (!allowed(text.substr(text.find("://") + 3), text, at, path)) return;
      ctx_.resolver.setImportSite(usedBy(importer, path));
      auto fetched = ctx_.resolver.fetchFile(text, imp.auth, "file", at, ctx_.diags);
      if (!fetched) {
        module_.importsIncomplete = true;
        return;
      }
      local = *fetched;
    } else {
      local = ctx_.resolver.resolveLocal(importer.path, text);
      if (!isFile(local)) {
        notFound(at, "imported file \"" + text + "\" not found (looked for \"" + local + "\")", path);
        return;
      }
    }
    ImportRecord record{ImportRecord::Kind::File, source, text, "", &importer, at};
    if (auto it = files_.find(fileKey(local)); it != files_.end()) {
      // Loaded before (however its path is spelled): reused. A Komposer there, even one still loading (a
      // Komposer importing itself), is §9.1's "only Katalog files are valid imports", not a cycle.
      for (const Document* doc : it->second) checkFileImportKind(*doc, text, at, path);
      return;
    }
    std::vector<Document*> added;
    for (auto& doc : frontend::loadDocuments(lctx_, local, at))
      if (checkFileImportKind(*doc, text, at, path)) added.push_back(adopt(std::move(doc), record));
    files_[fileKey(local)] = added;
    for (Document* doc : added) loadDocument(*doc, source);
  }

  // ── CRD entries: origins, motifs, crdFile, crFiles ──────────────────────────
  void loadCrdReferences(Document& doc) {
    for (ir::CrdEntry& entry : doc.crds) {
      // The builder records the declaring file; composition names the import that brought it.
      entry.origin.source = doc.importedBy.source;
      if (doc.importedBy.span.valid()) entry.origin.span = doc.importedBy.span;
      std::string base = "spec.crds." + entry.name.value;
      for (ir::MotifImport& imp : entry.imports) {
        std::string place = base + ".imports[" + std::to_string(imp.index) + "]";
        ctx_.resolver.setImportSite(usedBy(doc, place));
        loadMotif(doc, imp, place + ".motif");
      }
      if (!entry.crdFile.value.empty()) loadCrdFile(doc, entry.crdFile, base + ".crdFile");
      for (size_t i = 0; i < entry.crFiles.size(); ++i)
        loadCrFile(doc, entry.crFiles[i], base + ".crFiles[" + std::to_string(i) + "]");
    }
  }

  /// The motif.yaml a motif ref names, or nullopt after reporting.
  std::optional<std::string> motifFile(Document& doc, ir::MotifImport& imp, const MotifRef& ref, Span at,
                                       const std::string& path) {
    std::optional<std::string> dir;
    switch (ref.kind) {
      case MotifRefKind::Local: {
        std::string local = ctx_.resolver.resolveLocal(doc.path, ref.location);
        if (fs_.isDirectory(local)) {
          std::string file = joinPath(local, "motif.yaml");
          if (isFile(file)) return file;
          notFound(at, "motif \"" + ref.written + "\" not found: directory \"" + local + "\" holds no motif.yaml", path);
          return std::nullopt;
        }
        if (isFile(local)) return local;
        notFound(at, "motif \"" + ref.written + "\" not found (looked for \"" + local + "\")", path);
        return std::nullopt;
      }
      case MotifRefKind::OciLayout: {
        std::string layoutDir = ctx_.resolver.resolveLocal(doc.path, ref.location.substr(std::string("oci-layout:").size()));
        dir = ctx_.resolver.fetchLayout({ref.display(), ref.location, layoutDir, ref.version, true, at}, ctx_.diags);
        break;
      }
      case MotifRefKind::Git:
      case MotifRefKind::Oci:
      case MotifRefKind::Bare:
        if (!allowed(ref.policyUrl(), ref.written, at, path)) return std::nullopt;
        dir = ctx_.resolver.fetchMotif(ref, imp, ctx_.diags);
        break;
    }
    if (!dir) {
      module_.importsIncomplete = true;
      return std::nullopt;
    }
    if (!checkMotifStructure(fs_, *dir, ctx_.diags, at, ref.display() + ": ")) return std::nullopt;
    return joinPath(*dir, "motif.yaml");
  }

  void loadMotif(Document& doc, ir::MotifImport& imp, const std::string& path) {
    if (imp.ref.value.empty()) return;  // no ref, or an empty one: the builder reported it
    Span at = preferred(imp.ref.span, imp.span);
    MotifRef ref = classifyMotifRef(imp.ref.value, imp.version, imp.oci, ctx_.resolver.motifsRegistry());
    std::optional<std::string> file = motifFile(doc, imp, ref, at, path);
    if (!file) return;
    auto it = files_.find(fileKey(*file));
    if (it == files_.end()) {
      ImportRecord record{ImportRecord::Kind::Motif, ref.source(),
                          ref.kind == MotifRefKind::Local ? ref.written : ref.location, ref.version, &doc, at};
      std::vector<Document*> added;
      for (auto& loaded : frontend::loadDocuments(lctx_, *file, at)) {
        if (loaded->kind == ir::DocKind::Motif && added.empty()) {
          added.push_back(adopt(std::move(loaded), record));
          continue;
        }
        if (loaded->kind == ir::DocKind::Motif) continue;  // a motif file's first Motif is the motif
        ctx_.diags.report(DiagCode::KindNotAllowed, at, kindNotAllowedMessage(loaded->kind, "Motif")).path = path;
        ctx_.diags.note(loaded->kindSpan, ref.display() + " declares kind " +
                                              std::string(ir::docKindName(loaded->kind)) + " here");
      }
      it = files_.emplace(fileKey(*file), added).first;
    }
    if (!it->second.empty() && it->second.front()->kind == ir::DocKind::Motif) imp.resolved = it->second.front();
  }

  void loadCrdFile(Document& doc, const ir::Located& crdFile, const std::string& path) {
    std::string local;
    if (isUrl(crdFile.value)) {
      if (!allowed(crdFile.value.substr(crdFile.value.find("://") + 3), crdFile.value, crdFile.span, path)) return;
      ctx_.resolver.setImportSite(usedBy(doc, path));
      auto fetched = ctx_.resolver.fetchFile(crdFile.value, std::nullopt, "crdFile", crdFile.span, ctx_.diags);
      if (!fetched) return;
      local = *fetched;
    } else {
      local = ctx_.resolver.resolveLocal(doc.path, crdFile.value);
      if (!isFile(local)) {
        notFound(crdFile.span, "crdFile \"" + crdFile.value + "\" not found (looked for \"" + local + "\")", path);
        return;
      }
    }
    if (!crdFiles_.insert(local).second) return;
    if (auto crd = frontend::loadCrdFile(lctx_, local, crdFile.span)) module_.crdFiles.push_back(std::move(crd));
  }

  void loadCrFile(Document& doc, const ir::Located& crFile, const std::string& path) {
    std::string local = ctx_.resolver.resolveLocal(doc.path, crFile.value);
    if (!isFile(local)) {
      notFound(crFile.span, "crFiles entry \"" + crFile.value + "\" not found (looked for \"" + local + "\")", path);
      return;
    }
    if (!crFiles_.insert(local).second) return;
    for (auto& cr : frontend::loadCrFile(lctx_, local, crFile.span)) module_.crs.push_back(std::move(cr));
  }

  void checkReferencedPaths(const Document& doc) {
    for (const ir::Located& ref : doc.referencedPaths) {
      if (ref.value.empty() || isUrl(ref.value) || ref.value.find("{{") != std::string::npos) continue;
      std::string local = ctx_.resolver.resolveLocal(doc.path, ref.value);
      if (!fs_.exists(local))
        notFound(ref.span, "referenced file \"" + ref.value + "\" not found (looked for \"" + local + "\")", "");
    }
  }

  ir::Module& module_;
  PassContext& ctx_;
  const FileSystem& fs_;
  frontend::LoadContext lctx_;
  const ir::Policy* policy_ = nullptr;
  std::map<std::string, std::vector<Document*>> files_;  // path → documents taken from it
  std::set<std::string> crdFiles_, crFiles_;
  std::vector<StackEntry> stack_;
};

class LoadImportsPass : public Pass {
 public:
  std::string_view name() const override { return "load-imports"; }
  std::string_view summary() const override {
    return "load imported Katalogs, Komposers and motifs, CRD files and CR files, each once";
  }
  void run(ir::Module& module, PassContext& ctx) override { ImportLoader(module, ctx).run(); }
};

}  // namespace

PassPtr createLoadImportsPass() { return std::make_unique<LoadImportsPass>(); }

std::string kindNotAllowedMessage(ir::DocKind kind, std::string_view allowed) {
  return "kind \"" + std::string(ir::docKindName(kind)) + "\" cannot be used here — expected kind: " +
         std::string(allowed);
}

bool checkPatternKinds(const std::vector<std::unique_ptr<ir::Document>>& docs, bool useKomposer,
                       std::string_view prefix, Span at, DiagnosticEngine& diags) {
  bool ok = true;
  ir::DocKind expected = useKomposer ? ir::DocKind::Komposer : ir::DocKind::Katalog;
  for (const auto& doc : docs) {
    if (doc->kind == expected) continue;
    ok = false;
    if (!useKomposer && doc->kind == ir::DocKind::Komposer) {
      diags.report(DiagCode::UseKomposerMismatch, at,
                   std::string(prefix) + "useKomposer is false but katalog.yaml contains kind \"Komposer\"");
      diags.help("Set useKomposer: true or check pattern structure");
    } else if (useKomposer && doc->kind == ir::DocKind::Katalog) {
      diags.report(DiagCode::UseKomposerMismatch, at,
                   std::string(prefix) + "useKomposer is true but komposer.yaml contains kind \"Katalog\"");
      diags.help("Remove useKomposer: true or check pattern structure");
    } else {
      diags.report(DiagCode::KindNotAllowed, at,
                   std::string(prefix) + kindNotAllowedMessage(doc->kind, ir::docKindName(expected)));
    }
    diags.note(doc->kindSpan, "kind declared here");
  }
  return ok;
}

std::vector<std::unique_ptr<ir::Document>> loadPatternDocuments(frontend::LoadContext& ctx, const std::string& dir,
                                                                bool useKomposer, std::string_view prefix,
                                                                Span at) {
  std::string file = joinPath(dir, useKomposer ? "komposer.yaml" : "katalog.yaml");
  std::vector<std::unique_ptr<ir::Document>> docs = frontend::loadDocuments(ctx, file, at);
  checkPatternKinds(docs, useKomposer, prefix, at, ctx.diags);
  ir::DocKind expected = useKomposer ? ir::DocKind::Komposer : ir::DocKind::Katalog;
  std::vector<std::unique_ptr<ir::Document>> kept;
  for (auto& doc : docs)
    if (doc->kind == expected) kept.push_back(std::move(doc));
  return kept;
}

}  // namespace ork::passes
