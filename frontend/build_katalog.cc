// Katalog and Komposer builders (FORMATS.md §2, §3, §9.1): validate the document, normalise and
// validate each CRD entry, and fill the typed IR the passes read.
#include <algorithm>

#include "frontend/build_common.h"
#include "frontend/loader.h"
#include "frontend/normalize_crd_entry.h"
#include "frontend/schema.h"
#include "frontend/shapes.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::MapEntry;
using ir::Node;
using ir::NodePtr;

/// §3.1: lowercased kind + "s"; y → ies; s, x, ch, sh → + es. A vowel before the y keeps it
/// (Gateway → gateways), as Kubernetes' own pluralisation does (decision, docs/formats.md).
std::string defaultPlural(const std::string& kind) {
  std::string k = toLower(kind);
  if (k.empty()) return k;
  bool vowelY = k.size() >= 2 && std::string_view("aeiou").find(k[k.size() - 2]) != std::string_view::npos;
  if (endsWith(k, "y") && !vowelY) return k.substr(0, k.size() - 1) + "ies";
  if (endsWith(k, "s") || endsWith(k, "x") || endsWith(k, "ch") || endsWith(k, "sh")) return k + "es";
  return k + "s";
}

ir::ApiTypes extractApiTypes(const Node* n) {
  ir::ApiTypes t;
  if (!n || !n->isMap()) return t;
  t.present = true;
  t.span = n->span;
  t.group = textOf(n->get("group"));
  t.version = textOf(n->get("version"));
  t.kind = textOf(n->get("kind"));
  t.plural = textOf(n->get("plural"));
  if (t.plural.empty()) t.plural = defaultPlural(t.kind);
  return t;
}

ir::DependencyCondition dependencyCondition(const Node* cond) {
  if (cond && cond->isMap()) cond = cond->get("condition");
  return textOf(cond) == "healthy" ? ir::DependencyCondition::Healthy : ir::DependencyCondition::Started;
}

/// §3.2: `[name, {name: cond}, {name: {condition}}]` or `{name: cond}`.
std::vector<ir::Dependency> extractDependsOn(const Node* n) {
  std::vector<ir::Dependency> out;
  if (!n) return out;
  auto fromMap = [&](const Node& map) {
    for (const MapEntry& e : map.entries) out.push_back({{e.key, e.keySpan}, dependencyCondition(e.value.get()), e.keySpan});
  };
  if (n->isMap()) {
    fromMap(*n);
  } else if (n->isList()) {
    for (const NodePtr& item : n->items) {
      if (item->isString()) out.push_back({located(item.get()), ir::DependencyCondition::Started, item->span});
      else if (item->isMap() && item->entries.size() == 1) fromMap(*item);
    }
  }
  return out;
}

bool isLocalMotifRef(const std::string& ref) {
  return startsWith(ref, "./") || startsWith(ref, "../") || startsWith(ref, "/") || endsWith(ref, ".yaml") ||
         endsWith(ref, ".yml");
}

/// §8.2: a trailing @sha256:<hex>, else the text after the last @, else a :tag in the last
/// segment, else `version:`, else latest (main for Git). Local paths have no version.
std::string motifVersion(const std::string& ref, const std::string& versionKey) {
  if (isLocalMotifRef(ref)) return "";
  size_t at = ref.rfind('@');
  if (at != std::string::npos) return ref.substr(at + 1);  // covers @sha256:<hex>
  bool git = startsWith(ref, "https://") || startsWith(ref, "http://");
  std::string rest = ref;
  for (const char* prefix : {"oci://", "oci-layout:", "https://", "http://"})
    if (startsWith(rest, prefix)) rest = rest.substr(std::string_view(prefix).size());
  std::string last = rest.substr(rest.rfind('/') == std::string::npos ? 0 : rest.rfind('/') + 1);
  if (!git && last.find(':') != std::string::npos) return last.substr(last.find(':') + 1);
  if (!versionKey.empty()) return versionKey;
  return git ? "main" : "latest";
}

std::vector<ir::MotifImport> extractMotifImports(const Node* n) {
  std::vector<ir::MotifImport> out;
  if (!n || !n->isList()) return out;
  for (size_t i = 0; i < n->items.size(); ++i) {
    const Node& item = *n->items[i];
    if (!item.isMap()) continue;
    ir::MotifImport m;
    m.ref = located(item.get("motif"));
    m.version = motifVersion(m.ref.value, textOf(item.get("version")));
    m.oci = boolOr(item.get("oci"), false);
    m.with = item.get("with");
    m.auth = extractAuth(item.get("auth"));
    m.index = static_cast<int>(i);
    m.span = item.span;
    out.push_back(std::move(m));
  }
  return out;
}

/// §1.2: the first key that makes an entry typed, with its span; nullopt for a dynamic entry.
std::optional<std::pair<std::string, Span>> typedTrigger(const Node& entry) {
  if (const MapEntry* mode = entry.entry("mode"); mode && textOf(mode->value.get()) == "typed")
    return std::make_pair(std::string("mode: typed"), mode->keySpan);
  if (const Node* reconcile = entry.at("operatorBox.reconcile"); reconcile && reconcile->isMap()) {
    for (const char* k : {"hooks", "constructor"})
      if (const MapEntry* e = reconcile->entry(k)) return std::make_pair("operatorBox.reconcile." + std::string(k), e->keySpan);
    if (const MapEntry* e = reconcile->entry("default"); e && !boolOr(e->value.get(), true))
      return std::make_pair(std::string("operatorBox.reconcile.default: false"), e->keySpan);
  }
  if (const Node* api = entry.get("apiTypes"); api && api->isMap()) {
    for (const char* k : {"location", "object", "objectList", "alias"})
      if (const MapEntry* e = api->entry(k)) return std::make_pair("apiTypes." + std::string(k), e->keySpan);
  }
  return std::nullopt;
}

ir::CrdEntry extractCrdEntry(const ir::Document& doc, const MapEntry& e, DiagnosticEngine& diags) {
  ir::CrdEntry c;
  c.name = {e.key, e.keySpan};
  c.span = e.value->span;
  c.body = e.value->clone();
  const Node& body = *c.body;
  deriveCrdEntryFields(c);
  c.origin = {doc.path, e.keySpan};
  if (auto trigger = typedTrigger(body)) {
    Diagnostic& d = diags.report(DiagCode::TypedOperator, trigger->second,
                                 "CRD \"" + e.key + "\" is a typed operator (Go hooks, from " + trigger->first +
                                     "): ork validates and renders its declarative parts only");
    d.path = "spec.crds." + e.key;
    diags.help("ork run, ork simulate and ork generate bundle refuse typed operators; run it with an Orkestra "
               "runtime image built for this Katalog");
  }
  return c;
}

/// Normalises `spec.crds`, then each entry; validates each against crdEntryShape and fills doc.crds.
void buildCrds(LoadContext& ctx, ir::Document& doc) {
  Node* spec = doc.root->get("spec");
  Node* crds = spec && spec->isMap() ? spec->get("crds") : nullptr;
  if (!crds) return;
  normalizeCrdList(*crds, "spec.crds", ctx.diags);
  if (!crds->isMap()) return;
  for (MapEntry& e : crds->entries) {
    std::string path = childPath("spec.crds", e.key);
    if (e.value->isNull()) e.value = Node::makeMap(e.value->span);  // `postgres:` alone: an empty override
    if (!e.value->isMap()) {
      Diagnostic& d = ctx.diags.report(DiagCode::WrongType, e.value->span,
                                       path + ": expected a CRD entry (a mapping), got " +
                                           std::string(ir::nodeKindName(e.value->kind)));
      d.path = path;
      continue;
    }
    if (!isRfc1123Label(e.key)) {
      Diagnostic& d = ctx.diags.report(DiagCode::InvalidName, e.keySpan,
                                       "invalid CRD entry name '" + e.key +
                                           "' in spec.crds: use a lowercase RFC 1123 label (lowercase letters, "
                                           "digits and '-', starting and ending with a letter or digit, at most 63 "
                                           "characters)");
      d.path = path;
    }
    normalizeCrdEntry(ctx, *e.value, path, doc.path);
    validateShape(*e.value, *crdEntryShape(), path, ctx.diags);
    doc.crds.push_back(extractCrdEntry(doc, e, ctx.diags));
  }
}

/// §9.1: the legacy `sources` key is read as `imports`, its `oci` list as registry entries with oci: true.
void normalizeLegacySources(Node& root, DiagnosticEngine& diags) {
  const MapEntry* sources = root.entry("sources");
  if (!sources) return;
  if (const MapEntry* imports = root.entry("imports")) {
    Diagnostic& d = diags.report(DiagCode::ConflictingKeys, sources->keySpan,
                                 "'sources' and 'imports' are the same setting (sources is the older name); keep "
                                 "only 'imports'");
    d.path = "sources";
    diags.note(imports->keySpan, "'imports' is set here");
    root.take("sources");
    return;
  }
  Span keySpan = sources->keySpan;
  NodePtr old = root.take("sources");
  if (!old->isMap()) return;
  NodePtr imports = Node::makeMap(old->span);
  for (MapEntry& e : old->entries) {
    bool oci = e.key == "oci";
    if ((!oci && e.key != "registry") || !e.value->isList()) {
      imports->set(e.key, std::move(e.value), e.keySpan);
      continue;
    }
    Node* registry = imports->get("registry");
    if (!registry) registry = imports->set("registry", Node::makeList(e.value->span), e.keySpan);
    if (!registry->isList()) continue;
    for (NodePtr& item : e.value->items) {
      if (oci && item->isScalar()) {
        NodePtr entry = Node::makeMap(item->span);
        entry->set("url", std::move(item), {});
        entry->set("oci", Node::makeBool(true, e.keySpan), e.keySpan);
        item = std::move(entry);
      } else if (oci && item->isMap() && !item->get("oci")) {
        item->set("oci", Node::makeBool(true, e.keySpan), e.keySpan);
      }
      registry->items.push_back(std::move(item));
    }
  }
  root.set("imports", std::move(imports), keySpan);
}

/// An empty or null import entry: EmptyImport at the entry (the value when there is one).
void reportEmptyImport(DiagnosticEngine& diags, const Node& at, const std::string& path, const std::string& what) {
  Diagnostic& d = diags.report(DiagCode::EmptyImport, at.span, path + ": empty " + what);
  d.path = path;
}

/// Whether `n` is written but holds nothing: null or an empty string.
bool blank(const Node* n) { return n && (n->isNull() || (n->isString() && n->text.empty())); }

void extractKomposerImports(ir::Document& doc, DiagnosticEngine& diags) {
  const Node* imports = doc.root->get("imports");
  if (!imports || !imports->isMap()) return;
  if (const Node* registry = imports->get("registry"); registry && registry->isList()) {
    for (size_t i = 0; i < registry->items.size(); ++i) {
      const Node& item = *registry->items[i];
      ir::RegistryImport r;
      r.index = static_cast<int>(i);
      r.span = item.span;
      if (item.isMap()) {
        r.url = located(item.get("url"));
        r.version = textOf(item.get("version"));
        r.oci = boolOr(item.get("oci"), false);
        r.useKomposer = boolOr(item.get("useKomposer"), false);
        r.auth = extractAuth(item.get("auth"));
      } else {
        r.url = located(&item);
      }
      const Node* url = item.isMap() ? item.get("url") : &item;
      if (blank(url))
        reportEmptyImport(diags, *url, "imports.registry[" + std::to_string(i) + "]" + (item.isMap() ? ".url" : ""),
                          "registry import URL");
      if (!r.url.value.empty()) doc.registryImports.push_back(std::move(r));
    }
  }
  if (const Node* files = imports->get("files"); files && files->isList()) {
    for (size_t i = 0; i < files->items.size(); ++i) {
      const Node& item = *files->items[i];
      ir::FileImport f;
      f.index = static_cast<int>(i);
      f.span = item.span;
      f.path = located(item.isMap() ? item.get("url") : &item);
      f.auth = item.isMap() ? extractAuth(item.get("auth")) : std::nullopt;
      const std::string& p = f.path.value;
      f.isUrl = startsWith(p, "https://") || startsWith(p, "http://") || startsWith(p, "$");
      const Node* value = item.isMap() ? item.get("url") : &item;
      if (blank(value))
        reportEmptyImport(diags, *value, "imports.files[" + std::to_string(i) + "]" + (item.isMap() ? ".url" : ""),
                          "file import (a Katalog path or URL)");
      if (!p.empty()) doc.fileImports.push_back(std::move(f));
    }
  }
}

/// `motif: ""` or `motif: ~` in a CRD entry's imports: one EmptyImport ("empty motif ref"); load-imports skips
/// imports without a ref (a missing `motif` key is the shape's MissingField).
void reportEmptyMotifRefs(DiagnosticEngine& diags, const ir::Document& doc) {
  for (const ir::CrdEntry& entry : doc.crds) {
    const Node* list = entry.body ? entry.body->get("imports") : nullptr;
    if (!list || !list->isList()) continue;
    for (size_t i = 0; i < list->items.size(); ++i) {
      const Node* ref = list->items[i]->isMap() ? list->items[i]->get("motif") : nullptr;
      if (blank(ref))
        reportEmptyImport(diags, *ref, "spec.crds." + entry.name.value + ".imports[" + std::to_string(i) + "].motif",
                          "motif ref");
    }
  }
}

}  // namespace

void deriveCrdEntryFields(ir::CrdEntry& c) {
  static const Node kEmpty;
  const Node& body = c.body ? *c.body : kEmpty;
  c.enabled = boolOr(body.get("enabled"), true);
  c.apiTypes = extractApiTypes(body.get("apiTypes"));
  c.crdFile = located(body.get("crdFile"));
  c.crFiles = locatedList(body.get("crFiles"));
  c.dependsOn = extractDependsOn(body.get("dependsOn"));
  c.imports = extractMotifImports(body.get("imports"));  // `with` points into c.body
  c.typed = typedTrigger(body).has_value();
}

bool buildKatalog(LoadContext& ctx, ir::Document& doc) {
  size_t errorsBefore = ctx.diags.errorCount();
  Node& root = *doc.root;
  validateShape(root, *katalogShape(), "", ctx.diags);
  extractMetadata(root, doc, ctx.diags);
  if (const Node* spec = root.get("spec"); spec && spec->isMap()) doc.finalizers = textList(spec->get("finalizers"));
  buildCrds(ctx, doc);
  reportEmptyMotifRefs(ctx.diags, doc);
  return ctx.diags.errorCount() == errorsBefore;
}

bool buildKomposer(LoadContext& ctx, ir::Document& doc) {
  size_t errorsBefore = ctx.diags.errorCount();
  Node& root = *doc.root;
  validateShape(root, *komposerShape(), "", ctx.diags);
  normalizeLegacySources(root, ctx.diags);
  extractMetadata(root, doc, ctx.diags);
  extractKomposerImports(doc, ctx.diags);
  buildCrds(ctx, doc);
  reportEmptyMotifRefs(ctx.diags, doc);
  // Imports that are written but broken (reported above) are not "no imports".
  bool writtenImports = false;
  if (const Node* imports = root.get("imports"); imports && imports->isMap())
    for (const char* k : {"registry", "files"})
      if (const Node* l = imports->get(k); l && l->isList() && !l->items.empty()) writtenImports = true;
  if (!writtenImports && doc.registryImports.empty() && doc.fileImports.empty() && doc.crds.empty()) {
    std::string name = doc.metadata.name.value.empty() ? "" : " '" + doc.metadata.name.value + "'";
    ctx.diags.report(DiagCode::EmptyKomposer, doc.kindSpan,
                     "Komposer" + name + " has neither imports nor spec.crds; it defines no operator");
  }
  return ctx.diags.errorCount() == errorsBefore;
}

}  // namespace ork::frontend
