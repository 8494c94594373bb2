// Metadata, lifecycle and policy extraction (FORMATS.md §2), and the small value readers every
// builder uses.
#include "frontend/build_common.h"

#include "frontend/loader.h"

namespace ork::frontend {
namespace {

using ir::Node;

void fillDeprecation(const Node& n, ir::Deprecation& out) {
  out.present = true;
  out.span = n.span;
  if (!n.isMap()) return;
  out.message = textOf(n.get("message"));
  out.migratedTo = textOf(n.get("migratedTo"));
  if (const Node* timeline = n.get("timeline")) {
    out.timelineFrom = textOf(timeline->get("from"));
    out.timelineTo = textOf(timeline->get("to"));
  }
}

void extractLegacyDeprecation(const Node& md, ir::Deprecation& dep, DiagnosticEngine& diags) {
  if (const ir::MapEntry* e = md.entry("deprecated")) {
    Diagnostic& d = diags.report(DiagCode::LegacyDeprecation, e->keySpan,
                                 "'metadata.deprecated' is deprecated; use lifecycle.maturity: deprecated or "
                                 "lifecycle.deprecation");
    d.path = "metadata.deprecated";
    if (boolOr(e->value.get(), false) && !dep.present) {
      dep.present = true;
      dep.span = e->value->span;
    }
  }
  if (const ir::MapEntry* e = md.entry("deprecationMessage")) {
    Diagnostic& d = diags.report(DiagCode::LegacyDeprecation, e->keySpan,
                                 "'metadata.deprecationMessage' is deprecated; use lifecycle.deprecation.message");
    d.path = "metadata.deprecationMessage";
    if (dep.message.empty()) dep.message = textOf(e->value.get());
    if (!dep.present) {
      dep.present = true;
      dep.span = e->value->span;
    }
  }
}

void extractLifecycle(const Node& root, ir::Document& doc, DiagnosticEngine& diags) {
  ir::Lifecycle& lc = doc.lifecycle;
  const Node* md = root.get("metadata");
  const Node* life = root.get("lifecycle");
  if (life && life->isMap()) {
    lc.maturity = located(life->get("maturity"));
    if (const Node* dep = life->get("deprecation"); dep && !dep->isNull()) fillDeprecation(*dep, lc.deprecation);
    if (const Node* compat = life->get("compatibility")) {
      lc.compatOrkestra = textOf(compat->get("orkestra"));
      lc.compatKubernetes = textOf(compat->get("kubernetes"));
    }
    if (const Node* patterns = life->at("accept.patterns"); patterns && patterns->isList()) {
      for (const ir::NodePtr& p : patterns->items) {
        if (!p->isMap()) continue;
        lc.accept.push_back({textOf(p->get("name")), textOf(p->get("author")), textOf(p->get("version")), p->span});
      }
    }
  }
  if (md && md->isMap()) {
    // metadata.deprecation is a synonym of lifecycle.deprecation (§2).
    if (const ir::MapEntry* e = md->entry("deprecation"); e && !e->value->isNull()) {
      const ir::MapEntry* other = life && life->isMap() ? life->entry("deprecation") : nullptr;
      if (other && !other->value->isNull()) {
        Diagnostic& d = diags.report(DiagCode::ConflictingKeys, e->keySpan,
                                     "'metadata.deprecation' and 'lifecycle.deprecation' are the same setting; keep "
                                     "only 'lifecycle.deprecation'");
        d.path = "metadata.deprecation";
        diags.note(other->keySpan, "'lifecycle.deprecation' is set here");
      } else {
        fillDeprecation(*e->value, lc.deprecation);
      }
    }
    extractLegacyDeprecation(*md, lc.deprecation, diags);
  }
  if (lc.maturity.value == "deprecated" && !lc.deprecation.present) {
    lc.deprecation.present = true;
    lc.deprecation.span = lc.maturity.span;
  }
}

}  // namespace

ir::Located located(const Node* n) {
  if (!n || !n->isScalar() || n->isNull()) return {};
  return {n->scalarText(), n->span};
}

std::string textOf(const Node* n) { return n && n->isScalar() ? n->scalarText() : std::string(); }

bool boolOr(const Node* n, bool fallback) {
  return n && n->kind == ir::NodeKind::Bool ? n->boolValue : fallback;
}

std::vector<ir::Located> locatedList(const Node* n) {
  std::vector<ir::Located> out;
  if (!n || !n->isList()) return out;
  for (const ir::NodePtr& item : n->items)
    if (item->isScalar() && !item->isNull()) out.push_back(located(item.get()));
  return out;
}

std::vector<std::string> textList(const Node* n) {
  std::vector<std::string> out;
  for (ir::Located& l : locatedList(n)) out.push_back(std::move(l.value));
  return out;
}

std::optional<ir::ImportAuth> extractAuth(const Node* n) {
  if (!n || !n->isMap()) return std::nullopt;
  ir::ImportAuth a;
  a.type = textOf(n->get("type"));
  a.fromEnv = textOf(n->get("fromEnv"));
  a.usernameFromEnv = textOf(n->get("usernameFromEnv"));
  a.passwordFromEnv = textOf(n->get("passwordFromEnv"));
  a.span = n->span;
  return a;
}

void extractMetadata(const Node& root, ir::Document& doc, DiagnosticEngine& diags) {
  if (const Node* md = root.get("metadata"); md && md->isMap()) {
    ir::Metadata& m = doc.metadata;
    m.span = md->span;
    m.name = located(md->get("name"));
    m.version = located(md->get("version"));
    m.description = textOf(md->get("description"));
    m.author = textOf(md->get("author"));
    m.license = textOf(md->get("license"));
    m.namespace_ = textOf(md->get("namespace"));
    m.tags = textList(md->get("tags"));
  }
  extractLifecycle(root, doc, diags);
  if (const Node* policy = root.get("policy"); policy && policy->isMap()) {
    ir::Policy p;
    p.span = policy->span;
    if (const Node* life = policy->get("lifecycle"); life && life->isMap()) p.minMaturity = located(life->get("minMaturity"));
    p.allowedRegistries = locatedList(policy->get("allowedRegistries"));
    doc.policy = std::move(p);
  }
}

}  // namespace ork::frontend
