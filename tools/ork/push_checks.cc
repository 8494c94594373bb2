// The checks of `ork push` before any upload (FORMATS.md §11.2 steps 1–3) and the §11.1 annotations taken
// from the pushed documents. The version rule rewrites the file by span, so comments and layout survive.
#include "tools/ork/push_checks.h"

#include <filesystem>
#include <iostream>
#include <sstream>

#include "frontend/loader.h"
#include "passes/check_structure.h"
#include "passes/import_resolver.h"
#include "passes/load_imports.h"
#include "passes/pipeline.h"
#include "support/filesystem.h"
#include "support/strings.h"

namespace ork::cli {
namespace {

namespace stdfs = std::filesystem;

// The documents of a YAML file that have `kind`, loaded into a module (all of them kept, so that a
// module owns every document it points to); the others are reported as not allowed here.
struct LoadedFile {
  ir::Module module;
  ir::Document* first = nullptr;
  std::vector<std::string> readFiles;  // every buffer the loader added while loading it
};

LoadedFile loadOfKind(frontend::LoadContext& ctx, const std::string& path, ir::DocKind kind) {
  LoadedFile out;
  size_t before = ctx.sm.bufferCount();
  for (auto& doc : frontend::loadDocuments(ctx, path)) {
    if (doc->kind != kind) {
      ctx.diags.report(DiagCode::KindNotAllowed, doc->kindSpan,
                       passes::kindNotAllowedMessage(doc->kind, ir::docKindName(kind)));
      continue;
    }
    if (!out.first) out.first = doc.get();
    out.module.entryDocuments.push_back(out.module.documents.size());
    out.module.documents.push_back(std::move(doc));
  }
  for (size_t id = before + 1; id <= ctx.sm.bufferCount(); ++id)
    out.readFiles.emplace_back(ctx.sm.name(static_cast<FileId>(id)));
  return out;
}

// Whether a file's first document names `kind` — read with the loader so that a broken file is
// reported with its own diagnostics when it is the one pushed.
bool holdsKind(const FileSystem& fs, const std::string& path, ir::DocKind kind) {
  if (!fs.exists(path)) return false;
  SourceManager sm;
  DiagnosticEngine quiet;
  frontend::LoadContext ctx{sm, quiet};
  for (const auto& doc : frontend::loadDocuments(ctx, path))
    if (doc->kind == kind) return true;
  return false;
}

// Text of `buffer` between two offsets.
std::string_view between(std::string_view buffer, uint32_t from, uint32_t to) {
  if (from > to || to > buffer.size()) return {};
  return buffer.substr(from, to - from);
}

bool onlyColonAndBlanks(std::string_view s) {
  size_t colons = 0;
  for (char c : s) {
    if (c == ':')
      ++colons;
    else if (c != ' ' && c != '\t')
      return false;
  }
  return colons == 1;
}

// The YAML text of `tag` as a scalar in the quote style of `written` (the old value's source text):
// quoted values keep their quote character; a plain one stays plain unless the tag would read as a number.
std::string scalarLike(std::string_view written, const std::string& tag) {
  if (!written.empty() && (written.front() == '"' || written.front() == '\''))
    return std::string(1, written.front()) + tag + std::string(1, written.front());
  bool numeric = !tag.empty() && tag.find_first_not_of("0123456789.") == std::string::npos;
  return numeric ? "\"" + tag + "\"" : tag;
}

// The new file text with `metadata.version` set to `tag`, or nullopt with `*why`.
std::optional<std::string> rewriteVersion(const PushDocument& push, const std::string& tag,
                                          const SourceManager& sm, std::string* why) {
  const ir::Node* metadata = push.doc->root ? push.doc->root->get("metadata") : nullptr;
  const ir::MapEntry* version = metadata ? metadata->entry("version") : nullptr;
  const ir::MapEntry* name = metadata ? metadata->entry("name") : nullptr;
  FileId file = push.doc->file;
  std::string text(sm.contents(file));
  if (version) {
    const ir::Node& value = *version->value;
    std::string_view written = sm.text(value.span);
    bool quoted = written.size() >= 2 && (written.front() == '"' || written.front() == '\'') &&
                  written.back() == written.front();
    bool plain = written == value.text && !written.empty() &&
                 std::string_view("|>*&!").find(written.front()) == std::string_view::npos;
    // An alias or anchored value, a block scalar or a value on another line is not rewritten: the change
    // would reach other places of the document or need a layout we cannot keep.
    if (value.span.file != file || version->keySpan.file != file || !value.isScalar() ||
        written.find('\n') != std::string_view::npos || !(quoted || plain) ||
        !onlyColonAndBlanks(between(text, version->keySpan.end, value.span.begin))) {
      *why = "metadata.version is not a one-line plain or quoted scalar";
      return std::nullopt;
    }
    text.replace(value.span.begin, value.span.size(), scalarLike(written, tag));
    return text;
  }
  if (!name || name->value->span.file != file || !metadata || metadata->span.file != file) {
    *why = "metadata has no name to add the version after";
    return std::nullopt;
  }
  std::string_view metadataText = sm.text(metadata->span);
  std::string entry = "version: " + scalarLike("", tag);
  if (!metadataText.empty() && metadataText.front() == '{') {
    text.insert(name->value->span.end, ", " + entry);
    return text;
  }
  // Block style: a new line after the name's line, at the name key's indentation.
  size_t lineEnd = text.find('\n', name->value->span.end);
  if (lineEnd == std::string::npos) lineEnd = text.size();
  uint32_t column = sm.lineColumn(file, name->keySpan.begin).column;
  text.insert(lineEnd, "\n" + std::string(column > 0 ? column - 1 : 0, ' ') + entry);
  return text;
}

// `path` (a file the pattern names, relative to the pushed directory's documents) relative to `dir`,
// or nullopt when it lies outside it.
std::optional<std::string> insideDir(const std::string& dir, const std::string& path) {
  std::error_code ec;
  stdfs::path base = stdfs::absolute(dir, ec).lexically_normal();
  stdfs::path full = stdfs::absolute(path, ec).lexically_normal();
  if (ec) return std::nullopt;
  stdfs::path rel = full.lexically_relative(base);
  if (rel.empty() || *rel.begin() == ".." || rel == ".") return std::nullopt;
  return rel.generic_string();
}

bool isLocalPath(const std::string& value) {
  return value.find("://") == std::string::npos && !startsWith(value, "oci-layout:");
}

// A referenced file: pushed when it exists inside the directory; outside it (or a link) it is refused.
void addReferenced(const PushDocument& push, const std::string& value, Span at, const std::string& what,
                   DiagnosticEngine& diags, PushContents& out) {
  if (value.empty() || !isLocalPath(value)) return;
  std::string path = joinPath(push.dir, value);
  std::error_code ec;
  if (!stdfs::exists(stdfs::symlink_status(path, ec))) return;  // validation reports missing files
  std::optional<std::string> rel = insideDir(push.dir, path);
  if (!rel) {
    diags
        .report(DiagCode::PushFileOutsideDir, at,
                what + " \"" + value + "\" lies outside the pushed directory '" + push.dir + "'")
        .path = what;
    diags.help("copy the file into the pattern directory and reference it by a relative path inside it");
    return;
  }
  if (stdfs::is_symlink(path, ec)) {
    diags.report(DiagCode::PushFileOutsideDir, at, what + " \"" + value + "\" is a symbolic link").path =
        what;
    diags.help("ork push publishes regular files only; replace the link with the file");
    return;
  }
  out.extraFiles.push_back(*rel);
}

// §11.2 step 3: motif refs that only resolve on this machine block the push.
void checkLocalImports(const PushDocument& push, DiagnosticEngine& diags) {
  std::vector<std::pair<Span, std::string>> local;
  std::string motifs = passes::defaultMotifsRegistry();
  for (const ir::CrdEntry& crd : push.doc->crds) {
    for (const ir::MotifImport& m : crd.imports) {
      passes::MotifRef ref = passes::classifyMotifRef(m.ref.value, m.version, m.oci, motifs);
      if (ref.kind != passes::MotifRefKind::Local && ref.kind != passes::MotifRefKind::OciLayout) continue;
      local.emplace_back(m.ref.span, "spec.crds." + crd.name.value + ".imports[" + std::to_string(m.index) +
                                         "]: \"" + m.ref.value + "\"");
    }
  }
  if (local.empty()) return;
  diags.report(DiagCode::PushLocalImports, local.front().first,
               "push blocked: local file imports in " + push.fileName);
  for (const auto& [span, text] : local) diags.note(span, text);
  diags.help("publish each motif first (ork push) and import it by its registry reference");
}

// The Orkestra version a typed Katalog's go.mod requires (`github.com/orkspace/orkestra v0.7.3`).
std::string orkestraVersionFromGoMod(const std::string& dir) {
  auto read = realFileSystem().readFile(joinPath(dir, "go.mod"));
  if (!read.contents) return "";
  std::istringstream in(*read.contents);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string word, previous;
    while (words >> word) {
      if (previous.find("orkspace/orkestra") != std::string::npos && startsWith(word, "v")) return word;
      previous = word;
    }
  }
  return "";
}

std::map<std::string, std::string> katalogAnnotations(const PushDocument& push) {
  std::map<std::string, std::string> a;
  const ir::Document& doc = *push.doc;
  bool typed = false, hooks = false, constructor = false;
  for (const ir::CrdEntry& crd : doc.crds) {
    typed = typed || crd.typed;
    if (crd.body) {
      hooks = hooks || crd.body->at("operatorBox.reconcile.hooks");
      constructor = constructor || crd.body->at("operatorBox.reconcile.constructor");
    }
  }
  if (typed) a["io.orkestra.katalog.typed"] = "true";
  if (hooks) a["io.orkestra.katalog.has_hooks"] = "true";
  if (constructor) a["io.orkestra.katalog.has_constructor"] = "true";
  const ir::Lifecycle& lc = doc.lifecycle;
  if (lc.deprecation.present || lc.maturity.value == "deprecated") {
    a["io.orkestra.katalog.deprecated"] = "true";
    auto put = [&](const char* key, const std::string& v) {
      if (!v.empty()) a[std::string("io.orkestra.katalog.deprecated.") + key] = v;
    };
    put("migrated_to", lc.deprecation.migratedTo);
    put("message", lc.deprecation.message);
    put("timeline_from", lc.deprecation.timelineFrom);
    put("timeline_to", lc.deprecation.timelineTo);
  }
  if (!lc.maturity.value.empty()) a["io.orkestra.katalog.maturity"] = lc.maturity.value;
  if (typed) {
    std::string runtime = orkestraVersionFromGoMod(push.dir);
    if (!runtime.empty()) a["io.orkestra.katalog.runtime_version"] = runtime;
  }
  return a;
}

// Loads a companion file for its diagnostics only (komposer.yaml is an example; its imports name the
// pattern itself, so it is parsed, not resolved — as `ork validate DIR` does).
void parseCompanion(frontend::LoadContext& ctx, const std::string& path, ir::DocKind kind,
                    std::vector<ir::Document*>* docs, std::vector<LoadedFile>& keep) {
  if (!ctx.fs.exists(path)) return;
  keep.push_back(loadOfKind(ctx, path, kind));
  if (docs)
    for (auto& d : keep.back().module.documents) docs->push_back(d.get());
}

}  // namespace

std::optional<PushDocument> loadPushDocument(const std::string& dir, SourceManager& sm,
                                             DiagnosticEngine& diags) {
  const FileSystem& fs = realFileSystem();
  if (!fs.isDirectory(dir)) {
    diags.report(
        DiagCode::NotADirectory, Span{},
        fs.exists(dir) ? "'" + dir + "' is not a directory" : "directory '" + dir + "' does not exist");
    diags.help(
        "ork push publishes a pattern directory (katalog.yaml and its companion files) or a motif "
        "directory (motif.yaml)");
    return std::nullopt;
  }
  std::string katalog = joinPath(dir, "katalog.yaml");
  std::string motif = joinPath(dir, "motif.yaml");
  bool isKatalog = holdsKind(fs, katalog, ir::DocKind::Katalog);
  bool isMotif = holdsKind(fs, motif, ir::DocKind::Motif);
  if (isKatalog && isMotif) {
    diags.report(DiagCode::PushNoPattern, Span{},
                 "'" + dir + "' holds both katalog.yaml (kind: Katalog) and motif.yaml (kind: Motif)");
    diags.help("push one pattern per directory: move the motif into a directory of its own");
    return std::nullopt;
  }
  if (!isKatalog && !isMotif) {
    bool either = fs.exists(katalog) || fs.exists(motif);
    diags.report(DiagCode::PushNoPattern, Span{},
                 either
                     ? "'" + dir + "' holds no katalog.yaml of kind Katalog and no motif.yaml of kind Motif"
                     : "'" + dir + "' holds neither katalog.yaml nor motif.yaml: nothing to push");
    diags.help(
        "ork push publishes a directory with katalog.yaml (kind: Katalog) or motif.yaml (kind: Motif)");
    if (!either) return std::nullopt;
    // Load the file that is there, so that its own problems (a YAML error, another kind) are shown.
    frontend::LoadContext ctx{sm, diags};
    loadOfKind(ctx, fs.exists(katalog) ? katalog : motif,
               fs.exists(katalog) ? ir::DocKind::Katalog : ir::DocKind::Motif);
    return std::nullopt;
  }
  PushDocument push;
  push.motif = isMotif;
  push.dir = dir;
  push.fileName = isMotif ? "motif.yaml" : "katalog.yaml";
  push.file = isMotif ? motif : katalog;
  frontend::LoadContext ctx{sm, diags};
  size_t errorsBefore = diags.errorCount();
  LoadedFile loaded = loadOfKind(ctx, push.file, isMotif ? ir::DocKind::Motif : ir::DocKind::Katalog);
  push.module = std::move(loaded.module);
  push.doc = loaded.first;
  for (const std::string& f : loaded.readFiles)
    if (f != push.file) push.includedFiles.push_back(f);
  if (!push.doc || diags.errorCount() > errorsBefore) return std::nullopt;
  return push;
}

bool enforceVersion(const PushDocument& push, const std::string& tag, bool updateMeta,
                    const SourceManager& sm, DiagnosticEngine& diags, bool* updated) {
  *updated = false;
  const ir::Located& version = push.doc->metadata.version;
  if (version.value == tag) return true;
  const std::string prefix = push.fileName + ": ";
  if (!updateMeta) {
    Diagnostic& d = version.value.empty()
                        ? diags.report(DiagCode::PushVersionMismatch, push.doc->metadata.name.span,
                                       prefix + "metadata.version is not set and must equal provided tag \"" +
                                           tag + "\"; use '--update-meta' to set it")
                        : diags.report(DiagCode::PushVersionMismatch, version.span,
                                       prefix + "metadata.version \"" + version.value +
                                           "\" does not match provided tag \"" + tag +
                                           "\"; use '--update-meta' to set it");
    d.path = "metadata.version";
    return false;
  }
  std::string why;
  std::optional<std::string> text = rewriteVersion(push, tag, sm, &why);
  std::string error = text ? realFileSystem().writeFileAtomic(push.file, *text) : why;
  if (!error.empty()) {
    Span at = version.span.valid() ? version.span : push.doc->metadata.name.span;
    diags
        .report(DiagCode::PushUpdateMetaFailed, at,
                prefix + "cannot set metadata.version to \"" + tag + "\": " + error)
        .path = "metadata.version";
    diags.help("set metadata.version: " + tag + " in " + push.file + " by hand");
    return false;
  }
  std::cout << "updated " << push.fileName << ": metadata.version -> \"" << tag << "\"\n";
  *updated = true;
  return true;
}

bool runPushChecks(PushDocument& push, passes::ImportResolver& resolver, SourceManager& sm,
                   DiagnosticEngine& diags, PushContents* out) {
  const FileSystem& fs = realFileSystem();
  size_t errorsBefore = diags.errorCount();
  if (push.motif)
    passes::checkMotifStructure(fs, push.dir, diags, Span{}, push.dir + ": ");
  else
    passes::checkPatternStructure(fs, push.dir, diags, Span{}, push.dir + ": ");
  checkLocalImports(push, diags);

  // Companion documents: parsed and checked for their kind; the Simulate/E2E paths are pushed.
  frontend::LoadContext ctx{sm, diags};
  std::vector<LoadedFile> companions;
  std::vector<ir::Document*> gateDocs;
  if (!push.motif)
    parseCompanion(ctx, joinPath(push.dir, "komposer.yaml"), ir::DocKind::Komposer, nullptr, companions);
  parseCompanion(ctx, joinPath(push.dir, "simulate.yaml"), ir::DocKind::Simulate, &gateDocs, companions);
  parseCompanion(ctx, joinPath(push.dir, "e2e.yaml"), ir::DocKind::E2E, &gateDocs, companions);

  passes::PassContext passCtx{sm, diags, resolver};
  passes::runPipeline(push.module, passCtx);

  for (const ir::CrdEntry& crd : push.doc->crds) {
    std::string at = "spec.crds." + crd.name.value;
    addReferenced(push, crd.crdFile.value, crd.crdFile.span, at + ".crdFile", diags, *out);
    for (size_t i = 0; i < crd.crFiles.size(); ++i)
      addReferenced(push, crd.crFiles[i].value, crd.crFiles[i].span,
                    at + ".crFiles[" + std::to_string(i) + "]", diags, *out);
  }
  for (const std::string& included : push.includedFiles)
    addReferenced(push, stdfs::path(included).lexically_relative(push.dir).generic_string(), Span{},
                  "include", diags, *out);
  for (const ir::Document* doc : gateDocs)
    for (const ir::Located& p : doc->referencedPaths)
      addReferenced(push, p.value, p.span, baseName(doc->path) + " path", diags, *out);
  for (const char* name : {"go.mod", "go.sum", "Makefile"})
    if (fs.exists(joinPath(push.dir, name))) out->extraFiles.emplace_back(name);
  if (push.motif && fs.isDirectory(joinPath(push.dir, "example"))) out->extraFiles.emplace_back("example/");
  if (!push.motif) out->katalogAnnotations = katalogAnnotations(push);
  return diags.errorCount() == errorsBefore;
}

std::map<std::string, std::string> patternAnnotations(const PushDocument& push, const PushContents& contents,
                                                      const std::string& createdAt) {
  std::map<std::string, std::string> a = contents.katalogAnnotations;
  const ir::Metadata& m = push.doc->metadata;
  auto put = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) a[key] = value;
  };
  put("org.opencontainers.image.created", createdAt);
  put("org.opencontainers.image.title", m.name.value);
  put("org.opencontainers.image.version", m.version.value);
  put("org.opencontainers.image.description", m.description);
  put("org.opencontainers.image.authors", m.author);
  put("org.opencontainers.image.licenses", m.license);
  put("io.orkestra.pattern.kind", push.motif ? "Motif" : "Katalog");
  put("io.orkestra.pattern.name", m.name.value);
  put("io.orkestra.pattern.version", m.version.value);
  put("io.orkestra.pattern.author", m.author);
  put("io.orkestra.pattern.license", m.license);
  put("io.orkestra.pattern.tags", join(m.tags, ","));
  return a;
}

}  // namespace ork::cli
