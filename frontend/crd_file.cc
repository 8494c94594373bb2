// Loading a `crdFile` (FORMATS.md §3.1): the first CustomResourceDefinition of the file, checked
// only for what ork needs (group, names, scope, versions, schemas, status subresource).
#include <cctype>

#include "frontend/loader.h"
#include "frontend/yaml_reader.h"

namespace ork::frontend {
namespace {

using ir::Node;
using ir::NodePtr;

constexpr const char* kCrdApiVersion = "apiextensions.k8s.io/v1";

/// Collects InvalidCrdFile reports for one document; `ok` turns false at the first.
struct CrdChecker {
  DiagnosticEngine& diags;
  Span referencedFrom;
  bool ok = true;

  void invalid(Span at, const std::string& path, std::string message) {
    ok = false;
    Diagnostic& d = diags.report(DiagCode::InvalidCrdFile, at, std::move(message));
    d.path = path;
    if (referencedFrom.valid()) diags.note(referencedFrom, "referenced here");
  }

  /// A required non-empty string at `parent.key`; "" (and a report) otherwise.
  std::string requireString(const Node& parent, std::string_view key, const std::string& parentPath) {
    std::string path = parentPath.empty() ? std::string(key) : parentPath + "." + std::string(key);
    const Node* v = parent.get(key);
    if (!v || v->isNull()) {
      invalid(parent.span, path, (parentPath.empty() ? std::string("CustomResourceDefinition") : parentPath) +
                                     ": missing required field '" + std::string(key) + "'");
      return "";
    }
    if (!v->isString() || v->text.empty()) {
      invalid(v->span, path, path + ": expected a non-empty string");
      return "";
    }
    return v->text;
  }

  /// A required mapping at `parent.key`; null (and a report) otherwise.
  const Node* requireMap(const Node& parent, std::string_view key, const std::string& parentPath) {
    std::string path = parentPath.empty() ? std::string(key) : parentPath + "." + std::string(key);
    const Node* v = parent.get(key);
    if (!v || v->isNull()) {
      invalid(parent.span, path, (parentPath.empty() ? std::string("CustomResourceDefinition") : parentPath) +
                                     ": missing required field '" + std::string(key) + "'");
      return nullptr;
    }
    if (!v->isMap()) {
      invalid(v->span, path, path + ": expected a mapping, got " + std::string(ir::nodeKindName(v->kind)));
      return nullptr;
    }
    return v;
  }
};

bool isTrue(const Node* n) { return n && n->kind == ir::NodeKind::Bool && n->boolValue; }

void readVersions(CrdChecker& c, const Node& spec, ir::CrdFile& crd) {
  const Node* versions = spec.get("versions");
  if (!versions || versions->isNull()) {
    c.invalid(spec.span, "spec.versions", "spec: missing required field 'versions'");
    return;
  }
  if (!versions->isList() || versions->items.empty()) {
    c.invalid(versions->span, "spec.versions", "spec.versions: expected a non-empty list of versions");
    return;
  }
  std::vector<const Node*> storage;
  const Node* storageNode = nullptr;
  for (size_t i = 0; i < versions->items.size(); ++i) {
    const Node& v = *versions->items[i];
    std::string path = "spec.versions[" + std::to_string(i) + "]";
    if (!v.isMap()) {
      c.invalid(v.span, path, path + ": expected a mapping, got " + std::string(ir::nodeKindName(v.kind)));
      continue;
    }
    std::string name = c.requireString(v, "name", path);
    if (name.empty()) continue;
    if (isTrue(v.get("served"))) crd.servedVersions.push_back(name);
    if (isTrue(v.get("storage"))) {
      storage.push_back(&v);
      if (!storageNode) {
        storageNode = &v;
        crd.storageVersion = name;
      }
    }
    const Node* schema = v.at("schema.openAPIV3Schema");
    if (schema && schema->isMap()) crd.schemas.emplace_back(name, schema->clone());
  }
  if (storage.empty() && c.ok) {
    c.invalid(versions->span, "spec.versions", "spec.versions: no version is marked 'storage: true'");
  } else if (storage.size() > 1) {
    c.invalid(storage[1]->span, "spec.versions",
              "spec.versions: more than one version is marked 'storage: true' (first: '" + crd.storageVersion + "')");
  }
  if (storageNode) {
    const Node* sub = storageNode->get("subresources");
    crd.hasStatusSubresource = sub && sub->isMap() && sub->entry("status");
  }
}

/// Checks one CustomResourceDefinition document and fills `crd`; false on any error.
bool readCrd(const Node& root, ir::CrdFile& crd, DiagnosticEngine& diags, Span referencedFrom) {
  CrdChecker c{diags, referencedFrom};
  const Node* apiVersion = root.get("apiVersion");
  if (!apiVersion || apiVersion->scalarText() != kCrdApiVersion) {
    std::string got = apiVersion ? "'" + apiVersion->scalarText() + "'" : "no apiVersion";
    c.invalid(apiVersion ? apiVersion->span : root.span, "apiVersion",
              "a CustomResourceDefinition must have apiVersion " + std::string(kCrdApiVersion) + " (got " + got + ")");
    return false;
  }
  const Node* spec = c.requireMap(root, "spec", "");
  if (!spec) return false;
  crd.group = c.requireString(*spec, "group", "spec");
  if (const Node* names = c.requireMap(*spec, "names", "spec")) {
    crd.kind = c.requireString(*names, "kind", "spec.names");
    crd.plural = c.requireString(*names, "plural", "spec.names");
    const Node* singular = names->get("singular");
    crd.singular = singular && singular->isString() && !singular->text.empty() ? singular->text : "";
    if (crd.singular.empty()) {
      crd.singular = crd.kind;  // the API server's default: the lowercased kind
      for (char& ch : crd.singular) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  const Node* scope = spec->get("scope");
  if (!scope || scope->isNull()) {
    c.invalid(spec->span, "spec.scope", "spec: missing required field 'scope'");
  } else if (scope->scalarText() != "Namespaced" && scope->scalarText() != "Cluster") {
    c.invalid(scope->span, "spec.scope",
              "spec.scope: invalid value '" + scope->scalarText() + "' (expected Namespaced or Cluster)");
  } else {
    crd.scope = scope->text;
  }
  readVersions(c, *spec, crd);
  return c.ok;
}

}  // namespace

std::unique_ptr<ir::CrdFile> loadCrdFile(LoadContext& ctx, const std::string& path, Span referencedFrom) {
  auto file = readSource(ctx, path, referencedFrom, "crdFile");
  if (!file) return nullptr;
  std::vector<YamlDocument> docs = readDocuments(ctx, *file, path, "crdFile", referencedFrom);
  if (docs.empty()) {
    return nullptr;
  }
  for (YamlDocument& d : docs) {
    const Node& root = *d.root;
    const Node* kind = root.isMap() ? root.get("kind") : nullptr;
    if (!kind || kind->scalarText() != "CustomResourceDefinition") continue;
    auto crd = std::make_unique<ir::CrdFile>();
    crd->path = path;
    crd->file = *file;
    crd->span = root.span;
    if (!readCrd(root, *crd, ctx.diags, referencedFrom)) return nullptr;
    crd->root = std::move(d.root);
    return crd;
  }
  const Node& first = *docs.front().root;
  const Node* kind = first.isMap() ? first.get("kind") : nullptr;
  std::string got = kind ? "kind '" + kind->scalarText() + "'" : "no kind";
  Diagnostic& d = ctx.diags.report(DiagCode::InvalidCrdFile, kind ? kind->span : first.span,
                                   "crdFile '" + path + "' holds no CustomResourceDefinition (first document: " + got + ")");
  d.path = "kind";
  if (referencedFrom.valid()) ctx.diags.note(referencedFrom, "referenced here");
  return nullptr;
}

}  // namespace ork::frontend
