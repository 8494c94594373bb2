// CRD entry normalisation (FORMATS.md §3.1, §4.1): every accepted spelling of a CRD entry is
// rewritten into the one shape the validator, the overrides merge and the passes see.
#include "frontend/normalize_crd_entry.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "frontend/schema.h"
#include "frontend/yaml_reader.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::MapEntry;
using ir::Node;
using ir::NodePtr;

/// Removes a key from a mapping and returns the whole entry (key span included).
std::optional<MapEntry> takeEntry(Node& map, std::string_view key) {
  if (!map.isMap()) return std::nullopt;
  for (auto it = map.entries.begin(); it != map.entries.end(); ++it) {
    if (it->key == key) {
      MapEntry e = std::move(*it);
      map.entries.erase(it);
      return e;
    }
  }
  return std::nullopt;
}

/// The mapping under `key`, created (with the given spans) when absent; nullptr when the key
/// holds something else than a mapping (the validator reports that).
Node* ensureMap(Node& parent, const std::string& key, Span keySpan, Span span) {
  if (Node* existing = parent.get(key)) {
    if (existing->isNull()) {
      *existing = std::move(*Node::makeMap(existing->span));
      return existing;
    }
    return existing->isMap() ? existing : nullptr;
  }
  return parent.set(key, Node::makeMap(span), keySpan);
}

/// Follows a dotted path of map keys in a mutable tree (nullptr when absent).
Node* findPath(Node& root, std::string_view dotted) {
  Node* cur = &root;
  for (const std::string& part : split(dotted, '.')) {
    cur = cur->isMap() ? cur->get(part) : nullptr;
    if (!cur) return nullptr;
  }
  return cur;
}

/// Two spellings of one setting agree (durations compare by value: 1m == 60s).
bool sameSetting(const Node& a, const Node& b) {
  if (ir::deepEqual(a, b)) return true;
  if (a.isScalar() && b.isScalar()) {
    auto da = parseDurationMs(a.scalarText());
    auto db = parseDurationMs(b.scalarText());
    if (da && db) return *da == *db;
  }
  return false;
}

enum class MoveKind {
  Deprecated,  // an older shape: warn with the new place; both places → error
  Synonym,     // another accepted spelling: silent; both places → error
  Shorthand,   // silent; both places with different values → error
};

/// Moves keys inside one CRD entry and reports what §3.1/§4.1 require.
class EntryNormalizer {
 public:
  EntryNormalizer(LoadContext& ctx, Node& entry, std::string path, std::string declaringFile)
      : ctx_(ctx), entry_(entry), path_(std::move(path)), file_(std::move(declaringFile)) {}

  void run();

 private:
  void normalizeOperatorBox(Node& box);
  void moveReconcilerBlock(Node& box);
  void moveShorthands();
  void moveReconcileImports();
  void moveFlatAdmission();
  void resolveEntryIncludes();

  /// Moves `from[key]` to `to[newKey]`; `fromRel`/`toRel` name both places relative to the entry.
  void move(Node& from, const std::string& key, const std::string& fromRel, Node& to, const std::string& newKey,
            const std::string& toRel, MoveKind kind);
  /// The sub-mapping `key` of operatorBox (created at `anchor` spans when absent).
  Node* boxSection(Node& box, const std::string& key, const MapEntry& anchor);

  LoadContext& ctx_;
  Node& entry_;
  std::string path_;
  std::string file_;
};

void EntryNormalizer::run() {
  if (!entry_.isMap()) return;
  if (Node* box = entry_.get("operatorBox"); box && box->isMap()) normalizeOperatorBox(*box);
  moveShorthands();
  if (Node* reconcile = findPath(entry_, "operatorBox.reconcile"); reconcile && reconcile->isMap())
    resolveIncludes(ctx_, *reconcile, {}, file_, childPath(path_, "operatorBox.reconcile"));
  moveReconcileImports();
  moveFlatAdmission();
  resolveEntryIncludes();
}

void EntryNormalizer::move(Node& from, const std::string& key, const std::string& fromRel, Node& to,
                           const std::string& newKey, const std::string& toRel, MoveKind kind) {
  std::optional<MapEntry> moved = takeEntry(from, key);
  if (!moved) return;
  DiagnosticEngine& diags = ctx_.diags;
  if (const MapEntry* existing = to.entry(newKey)) {
    if (kind == MoveKind::Shorthand) {
      if (sameSetting(*moved->value, *existing->value)) return;
      Diagnostic& d = diags.report(DiagCode::ConflictingKeys, moved->keySpan,
                                   "'" + fromRel + "' (" + shownValue(*moved->value) + ") and '" + toRel + "' (" +
                                       shownValue(*existing->value) + ") give different values");
      d.path = childPath(path_, fromRel);
      diags.note(existing->keySpan, "'" + toRel + "' is set here");
      diags.help("keep one of them");
      return;
    }
    Diagnostic& d = diags.report(DiagCode::ConflictingKeys, moved->keySpan,
                                 "'" + fromRel + "' and '" + toRel + "' are the same setting; keep only '" + toRel +
                                     "'");
    d.path = childPath(path_, fromRel);
    diags.note(existing->keySpan, "'" + toRel + "' is set here");
    return;
  }
  if (kind == MoveKind::Deprecated) {
    Diagnostic& d = diags.report(DiagCode::DeprecatedShape, moved->keySpan,
                                 "'" + fromRel + "' is deprecated; use " + toRel);
    d.path = childPath(path_, fromRel);
  }
  to.entries.push_back({newKey, moved->keySpan, std::move(moved->value)});
}

Node* EntryNormalizer::boxSection(Node& box, const std::string& key, const MapEntry& anchor) {
  return ensureMap(box, key, anchor.keySpan, anchor.value ? anchor.value->span : anchor.keySpan);
}

// §4.1: the reconciler: shape and the keys both older shapes keep directly on operatorBox,
// handled in document order so the warnings read top to bottom.
void EntryNormalizer::normalizeOperatorBox(Node& box) {
  struct Moved {
    const char* key;
    const char* section;  // operatorBox.<section>.<key>
  };
  static const Moved kMoves[] = {
      {"onCreate", "reconcile"}, {"onReconcile", "reconcile"}, {"onDelete", "reconcile"},
      {"default", "reconcile"},  {"hooks", "reconcile"},       {"constructor", "reconcile"},
      {"workers", "reconcile"},  {"resync", "reconcile"},      {"finalizers", "runtime"},
      {"rollback", "runtime"},   {"rollBackOnError", "runtime"}, {"autoscale", "runtime"},
      {"status", "emit"},
  };
  std::vector<std::string> keys;
  for (const MapEntry& e : box.entries) keys.push_back(e.key);
  for (const std::string& key : keys) {
    if (key == "reconciler") {
      moveReconcilerBlock(box);
    } else if (key == "cross") {
      move(box, "cross", "operatorBox.cross", box, "observe", "operatorBox.observe", MoveKind::Deprecated);
    } else {
      for (const Moved& m : kMoves) {
        if (key != m.key) continue;
        Node* section = boxSection(box, m.section, *box.entry(key));
        if (!section) break;
        move(box, key, "operatorBox." + key, *section, key, std::string("operatorBox.") + m.section + "." + key,
             MoveKind::Deprecated);
        break;
      }
    }
  }
}

void EntryNormalizer::moveReconcilerBlock(Node& box) {
  const MapEntry* block = box.entry("reconciler");
  if (!block) return;
  static const std::vector<std::string> kReconcilerKeys = {"default", "hooks",   "constructor", "profile", "workers",
                                                           "resync",  "queue",   "requeue",     "include"};
  const std::string rel = "operatorBox.reconciler";
  if (!block->value->isMap() && !block->value->isNull()) {
    Diagnostic& d = ctx_.diags.report(DiagCode::WrongType, block->value->span,
                                      childPath(path_, rel) + ": expected a mapping, got " +
                                          std::string(ir::nodeKindName(block->value->kind)));
    d.path = childPath(path_, rel);
    takeEntry(box, "reconciler");
    return;
  }
  Node* reconcile = boxSection(box, "reconcile", *block);
  if (!reconcile) return;  // `reconcile` is not a mapping: the validator reports it, `reconciler` stays
  Node& old = *box.get("reconciler");
  std::vector<std::string> keys;
  for (const MapEntry& e : old.entries) keys.push_back(e.key);
  for (const std::string& k : keys) {
    if (std::find(kReconcilerKeys.begin(), kReconcilerKeys.end(), k) == kReconcilerKeys.end()) continue;
    move(old, k, rel + "." + k, *reconcile, k, "operatorBox.reconcile." + k, MoveKind::Deprecated);
  }
  for (const MapEntry& e : old.entries) {
    Diagnostic& d = ctx_.diags.report(DiagCode::UnknownKey, e.keySpan,
                                      "unknown key '" + e.key + "' in " + childPath(path_, rel) +
                                          didYouMean(e.key, kReconcilerKeys));
    d.path = childPath(path_, rel + "." + e.key);
  }
  takeEntry(box, "reconciler");
}

// §3.1: workers/resync on the entry mean operatorBox.reconcile.*; deletionProtection means
// operatorBox.runtime.deletionProtection.
void EntryNormalizer::moveShorthands() {
  for (const char* key : {"workers", "resync", "deletionProtection"}) {
    const MapEntry* e = entry_.entry(key);
    if (!e) continue;
    Span keySpan = e->keySpan;  // `e` dangles once operatorBox is added to the entry
    Span valueSpan = e->value->span;
    Node* box = ensureMap(entry_, "operatorBox", keySpan, entry_.span);
    if (!box) return;
    bool protection = std::string_view(key) == "deletionProtection";
    const char* sectionName = protection ? "runtime" : "reconcile";
    Node* section = ensureMap(*box, sectionName, keySpan, valueSpan);
    if (!section) continue;
    move(entry_, key, key, *section, key, std::string("operatorBox.") + sectionName + "." + key,
         protection ? MoveKind::Synonym : MoveKind::Shorthand);
  }
}

void EntryNormalizer::moveReconcileImports() {
  Node* reconcile = findPath(entry_, "operatorBox.reconcile");
  if (!reconcile || !reconcile->isMap() || !reconcile->entry("imports")) return;
  move(*reconcile, "imports", "operatorBox.reconcile.imports", entry_, "imports", "imports", MoveKind::Synonym);
}

void EntryNormalizer::moveFlatAdmission() {
  for (const char* key : {"validation", "mutation", "conversion"}) {
    const MapEntry* e = entry_.entry(key);
    if (!e) continue;
    Node* admission = ensureMap(entry_, "admission", e->keySpan, e->value->span);
    if (!admission) return;
    move(entry_, key, key, *admission, key, std::string("admission.") + key, MoveKind::Synonym);
  }
}

void EntryNormalizer::resolveEntryIncludes() {
  struct Site {
    const char* at;
    std::vector<std::string> lists;
  };
  static const Site kSites[] = {
      {"admission.validation", {"rules"}},
      {"admission.mutation", {"rules"}},
      {"operatorBox.emit.status", {"fields"}},
  };
  for (const Site& s : kSites) {
    Node* found = findPath(entry_, s.at);
    if (!found || !found->isMap() || !found->entry("include")) continue;
    resolveIncludes(ctx_, *found, s.lists, file_, childPath(path_, s.at));
  }
}

// ── include ────────────────────────────────────────────────────────────────

/// Places `under` beneath `base`: keys `base` lacks are added, mappings on both sides merge
/// recursively, anything else keeps `base`'s value.
void mergeUnder(Node& base, Node& under) {
  for (MapEntry& e : under.entries) {
    Node* existing = base.get(e.key);
    if (!existing) {
      base.entries.push_back({e.key, e.keySpan, std::move(e.value)});
    } else if (existing->isMap() && e.value->isMap()) {
      mergeUnder(*existing, *e.value);
    }
  }
}

class IncludeResolver {
 public:
  IncludeResolver(LoadContext& ctx, const std::vector<std::string>& lists) : ctx_(ctx), lists_(lists) {}

  /// Resolves `mapping`'s include; `stack` holds the files being included (cycle check).
  void resolve(Node& mapping, const std::string& declaringFile, const std::string& path,
               std::vector<std::string>& stack);

 private:
  /// Reads one include file as a mapping; nullptr after reporting IncludeFailed.
  NodePtr load(const std::string& text, const std::string& resolved, const MapEntry& include,
               const std::vector<std::string>& stack, const std::string& path);

  LoadContext& ctx_;
  const std::vector<std::string>& lists_;
};

NodePtr IncludeResolver::load(const std::string& text, const std::string& resolved, const MapEntry& include,
                              const std::vector<std::string>& stack, const std::string& path) {
  DiagnosticEngine& diags = ctx_.diags;
  auto failed = [&](const std::string& message) {
    Diagnostic& d = diags.report(DiagCode::IncludeFailed, include.keySpan, message);
    d.path = childPath(path, "include");
  };
  if (std::find(stack.begin(), stack.end(), resolved) != stack.end()) {
    std::vector<std::string> chain(std::find(stack.begin(), stack.end(), resolved), stack.end());
    chain.push_back(resolved);
    failed("include '" + text + "' forms a cycle: " + join(chain, " → "));
    return nullptr;
  }
  std::optional<FileId> file = ctx_.sm.find(resolved);
  if (!file) {
    ReadResult r = ctx_.fs.readFile(resolved);
    if (!r.contents) {
      failed("cannot read include '" + text + "' (" + resolved + "): " + r.error);
      return nullptr;
    }
    file = ctx_.sm.addBuffer(resolved, std::move(*r.contents));
    if (!checkTextInput(ctx_.sm, *file, diags)) return nullptr;
  }
  size_t errorsBefore = diags.errorCount();
  std::vector<YamlDocument> docs = readYaml(ctx_.sm, *file, diags);
  if (docs.empty() && diags.errorCount() > errorsBefore) return nullptr;  // the YAML error says it all
  if (docs.size() != 1 || !docs[0].root->isMap()) {
    std::string got = docs.empty() ? "no document"
                      : docs.size() > 1 ? std::to_string(docs.size()) + " documents"
                                        : std::string(ir::nodeKindName(docs[0].root->kind));
    failed("include '" + text + "' must hold one mapping (a partial " + path.substr(path.rfind('.') + 1) +
           "), got " + got);
    return nullptr;
  }
  return std::move(docs[0].root);
}

void IncludeResolver::resolve(Node& mapping, const std::string& declaringFile, const std::string& path,
                              std::vector<std::string>& stack) {
  std::optional<MapEntry> include = takeEntry(mapping, "include");
  if (!include) return;
  std::vector<const Node*> names;
  if (include->value->isString()) {
    names.push_back(include->value.get());
  } else if (include->value->isList()) {
    for (const NodePtr& item : include->value->items) names.push_back(item.get());
  }
  if (names.empty() || std::any_of(names.begin(), names.end(), [](const Node* n) { return !n->isString(); })) {
    Diagnostic& d = ctx_.diags.report(DiagCode::WrongType, include->value->span,
                                      childPath(path, "include") + ": expected a path or a list of paths, got " +
                                          std::string(ir::nodeKindName(include->value->kind)));
    d.path = childPath(path, "include");
    return;
  }
  NodePtr merged = Node::makeMap(mapping.span);
  std::vector<std::vector<NodePtr>> appended(lists_.size());
  for (const Node* name : names) {
    std::string resolved = joinPath(parentDir(declaringFile), name->text);
    NodePtr fragment = load(name->text, resolved, *include, stack, path);
    if (!fragment) continue;
    stack.push_back(resolved);
    resolve(*fragment, resolved, path, stack);  // an included file may include further files
    stack.pop_back();
    for (size_t i = 0; i < lists_.size(); ++i) {
      std::optional<MapEntry> list = takeEntry(*fragment, lists_[i]);
      if (!list) continue;
      if (!list->value->isList()) {
        fragment->entries.push_back(std::move(*list));  // the validator reports the wrong type
        continue;
      }
      for (NodePtr& item : list->value->items) appended[i].push_back(std::move(item));
    }
    ir::deepMerge(*merged, *fragment);
  }
  mergeUnder(mapping, *merged);
  for (size_t i = 0; i < lists_.size(); ++i) {
    if (appended[i].empty()) continue;
    Node* own = mapping.get(lists_[i]);
    if (!own) own = mapping.set(lists_[i], Node::makeList(include->value->span), include->keySpan);
    if (!own->isList()) continue;
    for (NodePtr& item : appended[i]) own->items.push_back(std::move(item));
  }
}

}  // namespace

void normalizeCrdList(Node& crds, const std::string& path, DiagnosticEngine& diags) {
  if (!crds.isList()) return;
  NodePtr byName = Node::makeMap(crds.span);
  std::vector<size_t> itemOf;  // list index of each kept entry, for messages
  std::unordered_map<std::string, size_t> kept;  // name → index in byName->entries
  for (size_t i = 0; i < crds.items.size(); ++i) {
    NodePtr& item = crds.items[i];
    std::string itemPath = indexPath(path, i);
    if (!item->isMap()) {
      Diagnostic& d = diags.report(DiagCode::WrongType, item->span,
                                   itemPath + ": expected a CRD entry (a mapping with name), got " +
                                       std::string(ir::nodeKindName(item->kind)));
      d.path = itemPath;
      continue;
    }
    const Node* name = item->get("name");
    if (!name) {
      Diagnostic& d = diags.report(DiagCode::MissingField, item->span, itemPath + ": missing required field 'name'");
      d.path = childPath(itemPath, "name");
      continue;
    }
    if (!name->isScalar() || name->isNull()) {
      Diagnostic& d = diags.report(DiagCode::WrongType, name->span,
                                   childPath(itemPath, "name") + ": expected a string, got " +
                                       std::string(ir::nodeKindName(name->kind)));
      d.path = childPath(itemPath, "name");
      continue;
    }
    std::string key = name->scalarText();
    Span nameSpan = name->span;
    if (auto found = kept.find(key); found != kept.end()) {
      const MapEntry* first = &byName->entries[found->second];
      size_t firstIndex = itemOf[found->second];
      Diagnostic& d = diags.report(DiagCode::DuplicateName, nameSpan,
                                   "duplicate CRD entry '" + key + "' in " + path + ": " +
                                       indexPath(path, firstIndex) + " and " + itemPath + " have the same name");
      d.path = childPath(itemPath, "name");
      diags.note(first->keySpan, "'" + key + "' is first defined here");
      diags.help("a name may appear once in spec.crds; merge the two entries");
      continue;
    }
    item->take("name");
    kept.emplace(key, byName->entries.size());
    byName->entries.push_back({key, nameSpan, std::move(item)});
    itemOf.push_back(i);
  }
  crds.kind = ir::NodeKind::Map;
  crds.items.clear();
  crds.entries = std::move(byName->entries);
}

void normalizeCrdEntry(LoadContext& ctx, Node& entry, const std::string& path, const std::string& declaringFile) {
  EntryNormalizer(ctx, entry, path, declaringFile).run();
}

void resolveIncludes(LoadContext& ctx, Node& mapping, const std::vector<std::string>& appendLists,
                     const std::string& declaringFile, const std::string& path) {
  if (!mapping.isMap()) return;
  std::vector<std::string> stack = {joinPath(parentDir(declaringFile), baseName(declaringFile))};
  IncludeResolver(ctx, appendLists).resolve(mapping, declaringFile, path, stack);
}

}  // namespace ork::frontend
