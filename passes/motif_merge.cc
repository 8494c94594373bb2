// mergeMotifs: expanded motif parts into the CRD's operatorBox and admission (FORMATS.md §8.3 step 4).
// Identities compare the entry's key, name and namespace as written after expansion (the template's
// source text when templated); the CRD's own entries win, two motifs may not contribute one object.
#include "passes/motif_merge.h"

#include <map>
#include <set>
#include <tuple>

#include "support/template_ast.h"

namespace ork::passes {
namespace {

// Scalar text as it reads after expansion: a substituted template's source, else the text.
std::string shownText(const ir::Node* n) {
  if (!n) return "";
  if (n->parsed) return n->parsed->source;
  return n->scalarText();
}

struct Identity {
  std::string key, name, ns;
  bool operator<(const Identity& o) const { return std::tie(key, name, ns) < std::tie(o.key, o.name, o.ns); }
};

Identity identityOf(const std::string& key, const ir::Node& entry) {
  std::string k = key;
  if (key == "custom") k += " " + shownText(entry.get("apiVersion")) + " " + shownText(entry.get("kind"));
  return {k, shownText(entry.get("name")), shownText(entry.get("namespace"))};
}

std::string describe(const std::string& key, const ir::Node& entry) {
  const ir::Node* name = entry.get("name");
  return key + " entry " + (name ? "\"" + shownText(name) + "\"" : "with the default name");
}

Span spanOf(const ir::Node& entry) {
  const ir::Node* name = entry.get("name");
  return name && name->span.valid() ? name->span : entry.span;
}

// The resource lists of a block (every list-valued key but onDelete's `groups`).
template <class Fn>
void forEachList(ir::Node& block, Fn&& fn) {
  for (ir::MapEntry& e : block.entries)
    if (e.value->isList() && e.key != "groups") fn(e.key, *e.value);
}

const std::set<std::string> kSubBlocks = {"onCreate", "onReconcile", "onDelete"};

bool isTrue(const ir::Node* n) { return n && n->kind == ir::NodeKind::Bool && n->boolValue; }

class Merger {
 public:
  Merger(ir::CrdEntry& crd, PassContext& ctx) : crd_(crd), ctx_(ctx) {
    ir::Node* reconcile = at({"operatorBox", "reconcile"});
    for (const char* block : {"onCreate", "onReconcile"})
      if (ir::Node* b = reconcile ? reconcile->get(block) : nullptr; b && b->isMap()) collect(*b, ownApply_);
    if (ir::Node* del = reconcile ? reconcile->get("onDelete") : nullptr; del && del->isMap()) {
      collect(*del, ownDelete_);
      if (ir::Node* groups = del->get("groups"); groups && groups->isList())
        for (ir::NodePtr& g : groups->items)
          if (g->isMap()) collect(*g, ownDelete_);
    }
    if (ir::Node* fields = at({"operatorBox", "emit", "status", "fields"}); fields && fields->isList())
      for (const ir::NodePtr& f : fields->items)
        if (f->isMap()) ownStatus_[shownText(f->get("path"))] = f.get();
  }

  void merge(MotifContribution& c) {
    if (c.resources) resources(c, *c.resources);
    if (c.status) status(c, *c.status);
    if (c.admission) admission(*c.admission);
  }

 private:
  struct Seen {
    const ir::Node* entry;
    const ir::Document* motif;
  };

  static void collect(ir::Node& block, std::map<Identity, const ir::Node*>& out) {
    forEachList(block, [&](const std::string& key, ir::Node& list) {
      for (const ir::NodePtr& item : list.items)
        if (item->isMap()) out.emplace(identityOf(key, *item), item.get());
    });
  }

  ir::Node* at(std::initializer_list<const char*> path) {
    ir::Node* n = crd_.body.get();
    for (const char* key : path) {
      n = n && n->isMap() ? n->get(key) : nullptr;
    }
    return n;
  }

  // The map at `path` under the body, created (with `span`) where missing.
  ir::Node& ensure(const std::vector<std::string>& path, Span span) {
    ir::Node* n = crd_.body.get();
    for (const std::string& key : path) {
      ir::Node* next = n->get(key);
      if (!next || !next->isMap()) next = n->set(key, ir::Node::makeMap(span), span);
      n = next;
    }
    return *n;
  }

  std::string motifName(const MotifContribution& c) const {
    return "motif \"" + c.motif->metadata.name.value + "\"";
  }

  // Whether a motif entry joins the CRD; reports the ones that do not.
  bool admit(const std::string& key, const ir::Node& entry, const MotifContribution& c, bool deletion) {
    if (!entry.isMap()) return true;
    Identity id = identityOf(key, entry);
    auto& own = deletion ? ownDelete_ : ownApply_;
    if (auto it = own.find(id); it != own.end()) {
      ctx_.diags.report(DiagCode::MotifEntryShadowed, spanOf(entry),
                        motifName(c) + ": " + describe(key, entry) + " is also declared by CRD \"" +
                            crd_.name.value + "\"; the CRD's entry wins and the motif's is dropped");
      ctx_.diags.note(spanOf(*it->second), "the CRD's entry");
      return false;
    }
    auto& seen = deletion ? seenDelete_ : seenApply_;
    if (auto it = seen.find(id); it != seen.end()) {
      ctx_.diags.report(DiagCode::MotifEntryConflict, spanOf(entry),
                        describe(key, entry) + " of CRD \"" + crd_.name.value +
                            "\" is contributed by motif \"" + it->second.motif->metadata.name.value +
                            "\" and " + motifName(c));
      ctx_.diags.note(spanOf(*it->second.entry),
                      "contributed by motif \"" + it->second.motif->metadata.name.value + "\" here");
      ctx_.diags.help("declare the entry in the CRD's own operatorBox to choose its content (the CRD wins)");
      return false;
    }
    seen.emplace(id, Seen{&entry, c.motif});
    return true;
  }

  // Appends the admitted items of each resource list of `from` to the same key under `path`.
  void mergeBlock(const std::vector<std::string>& path, ir::Node& from, const MotifContribution& c,
                  bool deletion) {
    forEachList(from, [&](const std::string& key, ir::Node& list) {
      for (ir::NodePtr& item : list.items) {
        if (!admit(key, *item, c, deletion)) continue;
        ir::Node& block = ensure(path, from.span);
        ir::Node* target = block.get(key);
        if (!target || !target->isList()) target = block.set(key, ir::Node::makeList(list.span), list.span);
        target->items.push_back(std::move(item));
      }
    });
  }

  void resources(MotifContribution& c, ir::Node& r) {
    if (ir::Node* b = r.get("onCreate"); b && b->isMap())
      mergeBlock({"operatorBox", "reconcile", "onCreate"}, *b, c, false);
    if (ir::Node* b = r.get("onReconcile"); b && b->isMap())
      mergeBlock({"operatorBox", "reconcile", "onReconcile"}, *b, c, false);
    ir::Node flat = ir::Node();  // the flat keys: every resource list outside the sub-blocks
    flat.kind = ir::NodeKind::Map;
    flat.span = r.span;
    for (ir::MapEntry& e : r.entries)
      if (!kSubBlocks.count(e.key)) flat.entries.push_back({e.key, e.keySpan, std::move(e.value)});
    mergeBlock({"operatorBox", "reconcile", "onReconcile"}, flat, c, false);
    if (ir::Node* b = r.get("onDelete"); b && b->isMap()) deletion(c, *b);
  }

  // onDelete: into the CRD's flat keys, or as a last group `motif:<name>` when the CRD's is ordered;
  // the motif's own groups follow as `motif:<name>:<group>`.
  void deletion(MotifContribution& c, ir::Node& from) {
    const std::vector<std::string> path = {"operatorBox", "reconcile", "onDelete"};
    ir::Node* crdDelete = at({"operatorBox", "reconcile", "onDelete"});
    bool existed = crdDelete && crdDelete->isMap();
    bool ordered = existed && isTrue(crdDelete->get("ordered"));
    std::string prefix = "motif:" + c.motif->metadata.name.value;
    if (!ordered) {
      mergeBlock(path, from, c, true);
    } else {
      auto group = ir::Node::makeMap(from.span);
      group->set("name", ir::Node::makeString(prefix, from.span));
      forEachList(from, [&](const std::string& key, ir::Node& list) {
        auto kept = ir::Node::makeList(list.span);
        for (ir::NodePtr& item : list.items)
          if (admit(key, *item, c, true)) kept->items.push_back(std::move(item));
        if (!kept->items.empty()) group->set(key, std::move(kept), list.span);
      });
      if (group->entries.size() > 1) appendGroup(path, std::move(group), from.span);
    }
    ir::Node* groups = from.get("groups");
    if (!groups || !groups->isList()) return;
    if (!existed)
      for (const char* key : {"ordered", "timeout"})
        if (const ir::MapEntry* e = from.entry(key))
          ensure(path, from.span).set(key, e->value->clone(), e->keySpan);
    for (ir::NodePtr& g : groups->items) {
      if (!g->isMap()) continue;
      if (ir::Node* name = g->get("name"); name && name->isString()) name->text = prefix + ":" + name->text;
      forEachList(*g, [&](const std::string& key, ir::Node& list) {
        std::vector<ir::NodePtr> kept;
        for (ir::NodePtr& item : list.items)
          if (admit(key, *item, c, true)) kept.push_back(std::move(item));
        list.items = std::move(kept);
      });
      appendGroup(path, std::move(g), from.span);
    }
  }

  void appendGroup(const std::vector<std::string>& path, ir::NodePtr group, Span span) {
    ir::Node& del = ensure(path, span);
    ir::Node* groups = del.get("groups");
    if (!groups || !groups->isList()) groups = del.set("groups", ir::Node::makeList(span), span);
    groups->items.push_back(std::move(group));
  }

  void status(MotifContribution& c, ir::Node& s) {
    const std::vector<std::string> path = {"operatorBox", "emit", "status"};
    if (ir::Node* fields = s.get("fields"); fields && fields->isList()) {
      for (ir::NodePtr& f : fields->items) {
        std::string p = f->isMap() ? shownText(f->get("path")) : "";
        if (auto it = ownStatus_.find(p); f->isMap() && it != ownStatus_.end()) {
          const ir::Node* pathNode = f->get("path");
          ctx_.diags.report(DiagCode::MotifEntryShadowed, pathNode ? pathNode->span : f->span,
                            motifName(c) + ": status field \"" + p + "\" is also declared by CRD \"" +
                                crd_.name.value + "\"; the CRD's field wins and the motif's is dropped");
          const ir::Node* own = it->second->get("path");
          ctx_.diags.note(own ? own->span : it->second->span, "the CRD's field");
          continue;
        }
        ir::Node& st = ensure(path, s.span);
        ir::Node* target = st.get("fields");
        if (!target || !target->isList())
          target = st.set("fields", ir::Node::makeList(fields->span), fields->span);
        target->items.push_back(std::move(f));
      }
    }
    if (const ir::MapEntry* cond = s.entry("conditions")) {
      ir::Node* crdStatus = at({"operatorBox", "emit", "status"});
      if (!crdStatus || !crdStatus->get("conditions"))
        ensure(path, s.span).set("conditions", cond->value->clone(), cond->keySpan);
    }
  }

  // Validation and mutation rules appended after the CRD's, in import order.
  void admission(ir::Node& a) {
    for (const char* kind : {"validation", "mutation"}) {
      ir::Node* block = a.get(kind);
      ir::Node* rules = block && block->isMap() ? block->get("rules") : nullptr;
      if (!rules || !rules->isList() || rules->items.empty()) continue;
      ir::Node& target = ensure({"admission", kind}, block->span);
      ir::Node* list = target.get("rules");
      if (!list || !list->isList()) list = target.set("rules", ir::Node::makeList(rules->span), rules->span);
      for (ir::NodePtr& r : rules->items) list->items.push_back(std::move(r));
    }
  }

  ir::CrdEntry& crd_;
  PassContext& ctx_;
  std::map<Identity, const ir::Node*> ownApply_, ownDelete_;
  std::map<Identity, Seen> seenApply_, seenDelete_;
  std::map<std::string, const ir::Node*> ownStatus_;
};

}  // namespace

void mergeMotifs(ir::CrdEntry& crd, std::vector<MotifContribution>& contributions, PassContext& ctx) {
  if (!crd.body || !crd.body->isMap()) return;
  Merger merger(crd, ctx);
  for (MotifContribution& c : contributions) merger.merge(c);
}

}  // namespace ork::passes
