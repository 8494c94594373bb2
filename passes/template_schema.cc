// Following .spec/.status paths through a CRD's openAPIV3Schema, and finding that schema for a
// composed CRD: its crdFile, else the crd.yaml beside the document that defines it (FORMATS.md §7.4).
#include "passes/template_schema.h"

#include "frontend/loader.h"
#include "passes/import_resolver.h"

namespace ork::passes {
namespace {

bool isTrue(const ir::Node* n) { return n && n->kind == ir::NodeKind::Bool && n->boolValue; }

/// Every path below this node passes: preserve-unknown-fields, or a composition ork does not follow.
bool isOpen(const ir::Node& s) {
  return isTrue(s.get("x-kubernetes-preserve-unknown-fields")) || s.get("anyOf") || s.get("oneOf") ||
         s.get("allOf") || s.get("not");
}

/// The openAPIV3Schema of `version` (the storage version when empty, written back to `version`).
const ir::Node* schemaOfVersion(const ir::Node& crdRoot, std::string& version) {
  const ir::Node* versions = crdRoot.at("spec.versions");
  if (!versions || !versions->isList()) return nullptr;
  for (const ir::NodePtr& v : versions->items) {
    const ir::Node* name = v->get("name");
    if (version.empty() && name && name->isScalar() && isTrue(v->get("storage"))) version = name->scalarText();
  }
  for (const ir::NodePtr& v : versions->items) {
    const ir::Node* name = v->get("name");
    if (!name || !name->isScalar() || name->scalarText() != version) continue;
    const ir::Node* schema = v->at("schema.openAPIV3Schema");
    return schema && schema->isMap() ? schema : nullptr;
  }
  return nullptr;
}

}  // namespace

std::string schemaTypeName(SchemaType t) {
  switch (t) {
    case SchemaType::Unknown: return "untyped";
    case SchemaType::Object: return "an object";
    case SchemaType::Array: return "a list";
    case SchemaType::String: return "a string";
    case SchemaType::Integer: return "an integer";
    case SchemaType::Number: return "a number";
    case SchemaType::Boolean: return "a boolean";
    case SchemaType::IntOrString: return "an int-or-string";
  }
  return "untyped";
}

SchemaType schemaTypeOf(const ir::Node& s) {
  if (!s.isMap()) return SchemaType::Unknown;
  if (isTrue(s.get("x-kubernetes-int-or-string"))) return SchemaType::IntOrString;
  const ir::Node* type = s.get("type");
  std::string t = type && type->isScalar() ? type->scalarText() : "";
  if (t == "object") return SchemaType::Object;
  if (t == "array") return SchemaType::Array;
  if (t == "string") return SchemaType::String;
  if (t == "integer") return SchemaType::Integer;
  if (t == "number") return SchemaType::Number;
  if (t == "boolean") return SchemaType::Boolean;
  if (t.empty() && s.get("properties")) return SchemaType::Object;
  return SchemaType::Unknown;
}

SchemaLookup lookupSchemaPath(const ir::Node& root, const std::vector<PathStep>& steps) {
  SchemaLookup r;
  const ir::Node* cur = &root;
  for (size_t i = 0; i < steps.size(); ++i) {
    const PathStep& step = steps[i];
    SchemaType t = schemaTypeOf(*cur);
    r.failedAt = i;
    r.parent = cur;
    r.parentType = t;
    if (step.index && t == SchemaType::Array) {
      const ir::Node* items = cur->get("items");
      if (!items || !items->isMap()) return r.status = SchemaLookup::Status::Open, r;
      cur = items;
      continue;
    }
    const ir::Node* props = cur->get("properties");
    if (!step.index && props && props->isMap()) {
      if (const ir::Node* p = props->get(step.name); p && p->isMap()) {
        cur = p;
        continue;
      }
    }
    if (isOpen(*cur)) return r.status = SchemaLookup::Status::Open, r;
    if (const ir::Node* extra = cur->get("additionalProperties")) {
      if (!extra->isMap()) return r.status = SchemaLookup::Status::Open, r;
      cur = extra;
      continue;
    }
    if (t == SchemaType::Object && !step.index) {
      r.status = SchemaLookup::Status::UnknownField;
      if (props && props->isMap())
        for (const ir::MapEntry& e : props->entries) r.siblings.push_back(e.key);
      return r;
    }
    if (t == SchemaType::Unknown) return r.status = SchemaLookup::Status::Open, r;
    r.status = SchemaLookup::Status::NotTraversable;
    return r;
  }
  r.status = isOpen(*cur) && schemaTypeOf(*cur) == SchemaType::Unknown ? SchemaLookup::Status::Open
                                                                         : SchemaLookup::Status::Found;
  r.type = schemaTypeOf(*cur);
  return r;
}

std::string displayPath(const std::vector<PathStep>& steps, size_t count) {
  std::string out;
  for (size_t i = 0; i < count && i < steps.size(); ++i)
    out += steps[i].index ? "[" + steps[i].name + "]" : "." + steps[i].name;
  return out.empty() ? "." : out;
}

// ── finding the schema ───────────────────────────────────────────────────────

const ir::Document* SchemaFinder::definingDocument(const ir::CrdEntry& entry) const {
  for (const auto& doc : module_.documents)
    if (doc->file == entry.name.span.file) return doc.get();
  return nullptr;
}

/// The loaded CRD file the entry's crdFile names, resolved against the document the crdFile
/// value came from (as merge-overrides does); nullptr when it did not load.
const ir::CrdFile* SchemaFinder::loadedCrdFile(const ir::CrdEntry& entry) const {
  for (const auto& doc : module_.documents) {
    if (doc->file != entry.crdFile.span.file) continue;
    std::string path = ctx_.resolver.resolveLocal(doc->path, entry.crdFile.value);
    for (const auto& f : module_.crdFiles)
      if (f->path == path) return f.get();
  }
  for (const auto& f : module_.crdFiles)  // a fetched (https) crdFile: match by group and kind
    if (f->group == entry.apiTypes.group && f->kind == entry.apiTypes.kind && !f->group.empty()) return f.get();
  return nullptr;
}

CrdSchema SchemaFinder::find(const ir::CrdEntry& entry) {
  CrdSchema out;
  out.kind = entry.apiTypes.kind;
  out.version = entry.apiTypes.version;
  if (entry.crdFile.value.empty()) return fromPatternCrdYaml(entry);
  const ir::CrdFile* file = loadedCrdFile(entry);
  if (!file) {
    out.silent = true;  // the crdFile did not load: load-imports reported why
    return out;
  }
  if (out.kind.empty()) out.kind = file->kind;
  if (out.version.empty()) out.version = file->storageVersion;
  for (const auto& [version, schema] : file->schemas)
    if (version == out.version && schema) out.root = schema.get();
  if (!out.root)
    out.missingReason = "crdFile '" + entry.crdFile.value + "' has no openAPIV3Schema for version " + out.version;
  return out;
}

CrdSchema SchemaFinder::fromPatternCrdYaml(const ir::CrdEntry& entry) {
  CrdSchema out;
  out.kind = entry.apiTypes.kind;
  out.version = entry.apiTypes.version;
  const ir::Document* doc = definingDocument(entry);
  std::string beside = doc ? ctx_.resolver.resolveLocal(doc->path, "crd.yaml") : "";
  std::string docName = doc ? doc->path.substr(doc->path.find_last_of('/') + 1) : "the Katalog";
  if (beside.empty() || !ctx_.resolver.fileSystem().exists(beside) ||
      ctx_.resolver.fileSystem().isDirectory(beside)) {
    out.missingReason = "no crdFile, and no crd.yaml beside " + docName;
    return out;
  }
  std::vector<ir::NodePtr>* docs = nullptr;
  for (auto& [path, loaded] : crdYamls_)
    if (path == beside) docs = &loaded;
  if (!docs) {
    // crd.yaml is not a crdFile of this entry, so problems reading it are not this check's to report.
    DiagnosticEngine scratch;
    frontend::LoadContext lctx{ctx_.sm, scratch, ctx_.resolver.fileSystem()};
    std::vector<ir::NodePtr> roots;
    if (auto file = frontend::readSource(lctx, beside, {}, "crd.yaml"))
      for (frontend::YamlDocument& d : frontend::readDocuments(lctx, *file, beside, "crd.yaml", {}))
        if (d.root) roots.push_back(std::move(d.root));
    crdYamls_.emplace_back(beside, std::move(roots));
    docs = &crdYamls_.back().second;
  }
  for (const ir::NodePtr& root : *docs) {
    if (!root->isMap() || !root->get("kind") || root->get("kind")->scalarText() != "CustomResourceDefinition")
      continue;
    const ir::Node* group = root->at("spec.group");
    const ir::Node* kind = root->at("spec.names.kind");
    if (!group || !kind || group->scalarText() != entry.apiTypes.group || kind->scalarText() != entry.apiTypes.kind)
      continue;
    out.root = schemaOfVersion(*root, out.version);
    if (!out.root) out.missingReason = "crd.yaml has no openAPIV3Schema for version " + out.version;
    return out;
  }
  out.missingReason = "crd.yaml beside " + docName + " defines no " + entry.apiTypes.kind + " (" +
                      entry.apiTypes.group + ")";
  return out;
}

}  // namespace ork::passes
