// Loading a CR file (`crFiles`, `cr.yaml`): every document is a Kubernetes object with apiVersion,
// kind and metadata.name; example CRs and seeded objects alike (FORMATS.md §12.2, §13).
#include "frontend/loader.h"
#include "frontend/yaml_reader.h"

namespace ork::frontend {
namespace {

using ir::Node;

/// A non-empty string scalar, or nullptr.
const Node* nonEmptyString(const Node* n) { return n && n->isString() && !n->text.empty() ? n : nullptr; }

/// Checks one document; reports InvalidCr at the most precise node and returns false.
bool checkCrDocument(const Node& root, DiagnosticEngine& diags, Span referencedFrom) {
  auto invalid = [&](Span at, std::string path, std::string message) {
    Diagnostic& d = diags.report(DiagCode::InvalidCr, at, std::move(message));
    d.path = std::move(path);
    if (referencedFrom.valid()) diags.note(referencedFrom, "referenced here");
    return false;
  };
  if (!root.isMap())
    return invalid(root.span, "", "expected a Kubernetes object (a mapping with apiVersion, kind and metadata.name), got " +
                                      std::string(ir::nodeKindName(root.kind)));
  for (const char* key : {"apiVersion", "kind"}) {
    const Node* v = root.get(key);
    if (!v || v->isNull()) return invalid(root.span, key, std::string("object: missing required field '") + key + "'");
    if (!nonEmptyString(v)) return invalid(v->span, key, std::string(key) + ": expected a non-empty string");
  }
  const Node* metadata = root.get("metadata");
  if (!metadata || metadata->isNull())
    return invalid(root.span, "metadata", "object: missing required field 'metadata' (with 'name')");
  if (!metadata->isMap())
    return invalid(metadata->span, "metadata",
                   "metadata: expected a mapping, got " + std::string(ir::nodeKindName(metadata->kind)));
  const Node* name = metadata->get("name");
  if (!name || name->isNull()) {
    if (metadata->get("generateName"))
      return invalid(metadata->entry("generateName")->keySpan, "metadata.generateName",
                     "metadata: 'generateName' is not supported in an example CR; set metadata.name");
    return invalid(metadata->span, "metadata.name", "metadata: missing required field 'name'");
  }
  if (!nonEmptyString(name)) return invalid(name->span, "metadata.name", "metadata.name: expected a non-empty string");
  return true;
}

}  // namespace

std::vector<std::unique_ptr<ir::CrDocument>> loadCrFile(LoadContext& ctx, const std::string& path,
                                                        Span referencedFrom) {
  std::vector<std::unique_ptr<ir::CrDocument>> out;
  auto file = readSource(ctx, path, referencedFrom, "CR file");
  if (!file) return out;
  std::vector<YamlDocument> docs = readDocuments(ctx, *file, path, "CR file", referencedFrom);
  if (docs.empty()) {
    return out;
  }
  for (YamlDocument& d : docs) {
    if (!checkCrDocument(*d.root, ctx.diags, referencedFrom)) continue;
    auto cr = std::make_unique<ir::CrDocument>();
    cr->path = path;
    cr->file = *file;
    cr->span = d.root->span;
    cr->apiVersion = d.root->get("apiVersion")->text;
    cr->kind = d.root->get("kind")->text;
    const Node* metadata = d.root->get("metadata");
    cr->name = metadata->get("name")->text;
    const Node* ns = metadata->get("namespace");
    cr->namespace_ = ns && ns->isScalar() ? ns->scalarText() : "";
    cr->root = std::move(d.root);
    out.push_back(std::move(cr));
  }
  return out;
}

}  // namespace ork::frontend
