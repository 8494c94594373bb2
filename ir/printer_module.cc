// The document and module printers: typed fields are turned into a node tree (spans kept, unset
// fields left out) and printed with printNode, so every IR dump has one canonical shape.
#include "ir/printer.h"

#include <algorithm>

namespace ork::ir {
namespace {

/// Builds a mapping, leaving out what is unset so dumps show what a document says.
class MapBuilder {
 public:
  explicit MapBuilder(Span span = {}) : node_(Node::makeMap(span)) {}

  MapBuilder& str(std::string key, const std::string& value, Span span = {}) {
    if (!value.empty()) node_->set(std::move(key), Node::makeString(value, span));
    return *this;
  }
  MapBuilder& str(std::string key, const Located& value) { return str(std::move(key), value.value, value.span); }
  MapBuilder& flag(std::string key, bool value, Span span = {}) {
    node_->set(std::move(key), Node::makeBool(value, span));
    return *this;
  }
  MapBuilder& flagIfTrue(std::string key, bool value) { return value ? flag(std::move(key), true) : *this; }
  MapBuilder& node(std::string key, NodePtr value) {
    if (value && !(value->isMap() && value->entries.empty()) && !(value->isList() && value->items.empty()))
      node_->set(std::move(key), std::move(value));
    return *this;
  }
  MapBuilder& copy(std::string key, const Node* value) {
    if (value) node_->set(std::move(key), value->clone());
    return *this;
  }
  NodePtr take() { return std::move(node_); }

 private:
  NodePtr node_;
};

NodePtr strings(const std::vector<std::string>& values) {
  auto list = Node::makeList();
  for (const std::string& v : values) list->items.push_back(Node::makeString(v));
  return list;
}

NodePtr located(const std::vector<Located>& values) {
  auto list = Node::makeList();
  for (const Located& v : values) list->items.push_back(Node::makeString(v.value, v.span));
  return list;
}

NodePtr auth(const std::optional<ImportAuth>& a) {
  if (!a) return nullptr;
  return MapBuilder(a->span)
      .str("type", a->type)
      .str("fromEnv", a->fromEnv)
      .str("usernameFromEnv", a->usernameFromEnv)
      .str("passwordFromEnv", a->passwordFromEnv)
      .take();
}

std::string describe(const Document* d) {
  if (!d) return "";
  return std::string(docKindName(d->kind)) + " " + d->metadata.name.value + " (" + d->path + ")";
}

NodePtr metadata(const Metadata& m) {
  return MapBuilder(m.span)
      .str("name", m.name)
      .str("version", m.version)
      .str("description", m.description)
      .str("author", m.author)
      .str("license", m.license)
      .str("namespace", m.namespace_)
      .node("tags", strings(m.tags))
      .take();
}

NodePtr lifecycle(const Lifecycle& l) {
  const Deprecation& d = l.deprecation;
  NodePtr deprecation;
  if (d.present) {
    deprecation = MapBuilder(d.span)
                      .flag("present", true)
                      .str("message", d.message)
                      .str("migratedTo", d.migratedTo)
                      .str("timelineFrom", d.timelineFrom)
                      .str("timelineTo", d.timelineTo)
                      .take();
  }
  auto accept = Node::makeList();
  for (const AcceptPattern& p : l.accept)
    accept->items.push_back(MapBuilder(p.span).str("name", p.name).str("author", p.author).str("version", p.version).take());
  return MapBuilder()
      .str("maturity", l.maturity)
      .node("deprecation", std::move(deprecation))
      .node("compatibility", MapBuilder().str("orkestra", l.compatOrkestra).str("kubernetes", l.compatKubernetes).take())
      .node("accept", std::move(accept))
      .take();
}

NodePtr policy(const std::optional<Policy>& p) {
  if (!p) return nullptr;
  return MapBuilder(p->span).str("minMaturity", p->minMaturity).node("allowedRegistries", located(p->allowedRegistries)).take();
}

NodePtr crdEntry(const CrdEntry& c) {
  NodePtr api;
  if (c.apiTypes.present) {
    api = MapBuilder(c.apiTypes.span)
              .str("group", c.apiTypes.group)
              .str("version", c.apiTypes.version)
              .str("kind", c.apiTypes.kind)
              .str("plural", c.apiTypes.plural)
              .take();
  }
  auto deps = Node::makeList();
  for (const Dependency& d : c.dependsOn) {
    const char* cond = "started";
    switch (d.condition) {
      case DependencyCondition::Started: cond = "started"; break;
      case DependencyCondition::Healthy: cond = "healthy"; break;
    }
    deps->items.push_back(MapBuilder(d.span).str("name", d.name).str("condition", cond).take());
  }
  auto imports = Node::makeList();
  for (const MotifImport& m : c.imports) {
    imports->items.push_back(MapBuilder(m.span)
                                 .str("ref", m.ref)
                                 .str("version", m.version)
                                 .flagIfTrue("oci", m.oci)
                                 .copy("with", m.with)
                                 .node("auth", auth(m.auth))
                                 .str("resolved", describe(m.resolved))
                                 .take());
  }
  return MapBuilder(c.span)
      .str("name", c.name)
      .flag("enabled", c.enabled)
      .flag("typed", c.typed)
      .node("apiTypes", std::move(api))
      .str("crdFile", c.crdFile)
      .node("crFiles", located(c.crFiles))
      .node("dependsOn", std::move(deps))
      .node("imports", std::move(imports))
      .str("origin", c.origin.source, c.origin.span)
      .copy("body", c.body.get())
      .take();
}

NodePtr importedBy(const ImportRecord& r) {
  const char* kind = "entry";
  switch (r.kind) {
    case ImportRecord::Kind::Entry: return nullptr;
    case ImportRecord::Kind::Registry: kind = "registry"; break;
    case ImportRecord::Kind::File: kind = "file"; break;
    case ImportRecord::Kind::Motif: kind = "motif"; break;
  }
  return MapBuilder(r.span)
      .str("kind", kind)
      .str("source", r.source)
      .str("url", r.url)
      .str("version", r.version)
      .str("importer", r.importer ? r.importer->path : "")
      .take();
}

NodePtr documentNode(const Document& d) {
  auto registry = Node::makeList();
  for (const RegistryImport& r : d.registryImports) {
    registry->items.push_back(MapBuilder(r.span)
                                  .str("url", r.url)
                                  .str("version", r.version)
                                  .flagIfTrue("oci", r.oci)
                                  .flagIfTrue("useKomposer", r.useKomposer)
                                  .node("auth", auth(r.auth))
                                  .take());
  }
  auto files = Node::makeList();
  for (const FileImport& f : d.fileImports)
    files->items.push_back(MapBuilder(f.span).str(f.isUrl ? "url" : "path", f.path).node("auth", auth(f.auth)).take());
  auto crds = Node::makeList();
  for (const CrdEntry& c : d.crds) crds->items.push_back(crdEntry(c));
  auto inputs = Node::makeList();
  for (const MotifInput& in : d.inputs) {
    inputs->items.push_back(MapBuilder(in.span)
                                .str("name", in.name)
                                .flag("required", in.required)
                                .str("type", in.type)
                                .copy("default", in.defaultValue)
                                .take());
  }
  return MapBuilder()
      .str("kind", std::string(docKindName(d.kind)), d.kindSpan)
      .node("metadata", metadata(d.metadata))
      .node("lifecycle", lifecycle(d.lifecycle))
      .node("policy", policy(d.policy))
      .node("finalizers", strings(d.finalizers))
      .node("registryImports", std::move(registry))
      .node("fileImports", std::move(files))
      .node("crds", std::move(crds))
      .node("inputs", std::move(inputs))
      .node("referencedPaths", located(d.referencedPaths))
      .node("importedBy", importedBy(d.importedBy))
      .copy("body", d.root.get())
      .take();
}

std::string header(const Document& d) {
  std::string out = "# " + std::string(docKindName(d.kind)) + " " + d.metadata.name.value + " (" + d.path;
  if (d.indexInFile > 0) out += ", document " + std::to_string(d.indexInFile + 1);
  return out + ")\n";
}

}  // namespace

std::string printDocument(const Document& doc, const PrintOptions& options) {
  return header(doc) + printNode(*documentNode(doc), options);
}

std::string printCrdFile(const CrdFile& crd, const PrintOptions& options) {
  std::vector<std::string> schemaVersions;
  for (const auto& s : crd.schemas) schemaVersions.push_back(s.first);
  NodePtr n = MapBuilder(crd.span)
                  .str("kind", "CustomResourceDefinition")
                  .str("group", crd.group)
                  .str("names.kind", crd.kind)
                  .str("names.plural", crd.plural)
                  .str("names.singular", crd.singular)
                  .str("scope", crd.scope)
                  .str("storageVersion", crd.storageVersion)
                  .node("servedVersions", strings(crd.servedVersions))
                  .flag("hasStatusSubresource", crd.hasStatusSubresource)
                  .node("schemas", strings(schemaVersions))
                  .take();
  return "# CustomResourceDefinition " + crd.plural + "." + crd.group + " (" + crd.path + ")\n" +
         printNode(*n, options);
}

std::string printModule(const Module& module, const PrintOptions& options) {
  std::string out;
  for (size_t i = 0; i < module.documents.size(); ++i) {
    out += "---\n";
    bool entry = std::find(module.entryDocuments.begin(), module.entryDocuments.end(), i) != module.entryDocuments.end();
    if (entry) out += "# entry document\n";
    out += printDocument(*module.documents[i], options);
  }
  for (const auto& crd : module.crdFiles) out += "---\n" + printCrdFile(*crd, options);
  for (const auto& cr : module.crs) {
    NodePtr n = MapBuilder(cr->span)
                    .str("apiVersion", cr->apiVersion)
                    .str("kind", cr->kind)
                    .str("name", cr->name)
                    .str("namespace", cr->namespace_)
                    .take();
    out += "---\n# CR " + cr->kind + " " + cr->name + " (" + cr->path + ")\n" + printNode(*n, options);
  }
  if (!module.composedCrds.empty()) {
    auto crds = Node::makeList();
    for (const CrdEntry& c : module.composedCrds) crds->items.push_back(crdEntry(c));
    out += "---\n# composed CRDs\n" + printNode(*MapBuilder().node("composedCrds", std::move(crds)).take(), options);
  }
  if (!module.loadOrder.empty() || module.importsIncomplete) {
    auto order = Node::makeList();
    for (const Document* d : module.loadOrder) order->items.push_back(Node::makeString(describe(d)));
    NodePtr n = MapBuilder().node("loadOrder", std::move(order)).flagIfTrue("importsIncomplete", module.importsIncomplete).take();
    out += "---\n# module\n" + printNode(*n, options);
  }
  return out;
}

}  // namespace ork::ir
