// Document loading: file → YAML → envelope check → the kind's builder.
#include "frontend/loader.h"

#include "frontend/yaml_reader.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

const std::vector<std::string>& documentKinds() {
  static const std::vector<std::string> kinds = {"Katalog", "Komposer", "Motif", "Simulate", "E2E"};
  return kinds;
}

std::optional<ir::DocKind> kindFromName(std::string_view name) {
  if (name == "Katalog") return ir::DocKind::Katalog;
  if (name == "Komposer") return ir::DocKind::Komposer;
  if (name == "Motif") return ir::DocKind::Motif;
  if (name == "Simulate") return ir::DocKind::Simulate;
  if (name == "E2E") return ir::DocKind::E2E;
  return std::nullopt;
}

}  // namespace

std::optional<FileId> readSource(LoadContext& ctx, const std::string& path, Span referencedFrom,
                                 std::string_view what) {
  if (auto existing = ctx.sm.find(path)) return existing;
  ReadResult r = ctx.fs.readFile(path);
  if (!r.contents) {
    DiagCode code = r.tooLarge ? DiagCode::FileTooLarge : DiagCode::FileNotFound;
    std::string msg = r.tooLarge ? std::string(what) + " '" + path + "' is too large: " + r.error
                                 : "cannot read " + std::string(what) + " '" + path + "': " + r.error;
    ctx.diags.report(code, referencedFrom, msg);
    if (!referencedFrom.valid() && !r.tooLarge) ctx.diags.help("check the path; relative paths resolve against the current directory");
    if (r.tooLarge) ctx.diags.help("ork reads input files up to 16 MiB; split the file");
    return std::nullopt;
  }
  FileId id = ctx.sm.addBuffer(path, std::move(*r.contents));
  if (!checkTextInput(ctx.sm, id, ctx.diags)) return std::nullopt;
  return id;
}

std::vector<YamlDocument> readDocuments(LoadContext& ctx, FileId file, const std::string& path,
                                        std::string_view what, Span referencedFrom) {
  size_t errorsBefore = ctx.diags.errorCount();
  std::vector<YamlDocument> docs = readYaml(ctx.sm, file, ctx.diags);
  if (docs.empty() && ctx.diags.errorCount() == errorsBefore) {
    std::string prefix = what.empty() ? "" : std::string(what) + " ";
    ctx.diags.report(DiagCode::EmptyFile, Span{file, 0, 0}, prefix + "'" + path + "' holds no YAML document");
    if (referencedFrom.valid()) ctx.diags.note(referencedFrom, "referenced here");
  }
  return docs;
}

std::vector<std::unique_ptr<ir::Document>> loadDocuments(LoadContext& ctx, const std::string& path,
                                                         Span referencedFrom) {
  std::vector<std::unique_ptr<ir::Document>> out;
  auto file = readSource(ctx, path, referencedFrom);
  if (!file) return out;
  std::vector<YamlDocument> docs = readDocuments(ctx, *file, path, "", referencedFrom);
  for (YamlDocument& d : docs) {
    auto doc = buildDocument(ctx, std::move(d.root), path, *file, d.index);
    if (doc) out.push_back(std::move(doc));
  }
  return out;
}

std::unique_ptr<ir::Document> buildDocument(LoadContext& ctx, ir::NodePtr root, const std::string& path,
                                            FileId file, int indexInFile) {
  if (!root->isMap()) {
    ctx.diags.report(DiagCode::WrongType, root->span,
                     "expected an Orkestra document (a mapping with apiVersion, kind, metadata), got " +
                         std::string(ir::nodeKindName(root->kind)));
    return nullptr;
  }
  const ir::Node* apiVersion = root->get("apiVersion");
  const ir::Node* kind = root->get("kind");
  if (!apiVersion) {
    ctx.diags.report(DiagCode::MissingField, root->span, "document: missing required field 'apiVersion'");
    ctx.diags.help(std::string("set apiVersion: ") + kOrkestraApiVersion);
    return nullptr;
  }
  if (!apiVersion->isScalar() || apiVersion->isNull()) {
    Diagnostic& d = ctx.diags.report(DiagCode::WrongType, apiVersion->span,
                                     "apiVersion: expected a string, got " + std::string(ir::nodeKindName(apiVersion->kind)));
    d.path = "apiVersion";
    return nullptr;
  }
  if (apiVersion->scalarText() != kOrkestraApiVersion) {
    ctx.diags.report(DiagCode::UnsupportedApiVersion, apiVersion->span,
                     "unsupported apiVersion '" + apiVersion->scalarText() + "' (supported: " +
                         kOrkestraApiVersion + ")");
    ctx.diags.note({}, "the pattern may target another Orkestra version");
    return nullptr;
  }
  if (!kind) {
    ctx.diags.report(DiagCode::MissingField, root->span, "document: missing required field 'kind'");
    ctx.diags.help("set kind to one of Katalog, Komposer, Motif, Simulate, E2E");
    return nullptr;
  }
  if (!kind->isScalar() || kind->isNull()) {
    Diagnostic& d = ctx.diags.report(DiagCode::WrongType, kind->span,
                                     "kind: expected a string, got " + std::string(ir::nodeKindName(kind->kind)));
    d.path = "kind";
    return nullptr;
  }
  auto k = kindFromName(kind->scalarText());
  if (!k) {
    ctx.diags.report(DiagCode::UnknownKind, kind->span,
                     "unknown kind '" + kind->scalarText() + "' (expected one of Katalog, Komposer, Motif, Simulate, E2E)" +
                         didYouMean(kind->scalarText(), documentKinds()));
    return nullptr;
  }
  auto doc = std::make_unique<ir::Document>();
  doc->kind = *k;
  doc->path = path;
  doc->file = file;
  doc->indexInFile = indexInFile;
  doc->span = root->span;
  doc->kindSpan = kind->span;
  doc->root = std::move(root);
  switch (doc->kind) {
    case ir::DocKind::Katalog: buildKatalog(ctx, *doc); break;
    case ir::DocKind::Komposer: buildKomposer(ctx, *doc); break;
    case ir::DocKind::Motif: buildMotif(ctx, *doc); break;
    case ir::DocKind::Simulate: buildSimulate(ctx, *doc); break;
    case ir::DocKind::E2E: buildE2E(ctx, *doc); break;
  }
  return doc;
}

}  // namespace ork::frontend
