// ir::Node helpers: construction, lookup, deep copy, equality and the §9.3 deep merge.
#include "ir/node.h"

#include <algorithm>
#include <cstdio>

namespace ork::ir {

std::string_view nodeKindName(NodeKind k) {
  switch (k) {
    case NodeKind::Null: return "null";
    case NodeKind::Bool: return "boolean";
    case NodeKind::Int: return "integer";
    case NodeKind::Float: return "number";
    case NodeKind::String: return "string";
    case NodeKind::List: return "list";
    case NodeKind::Map: return "mapping";
  }
  return "value";
}

NodePtr Node::makeNull(Span span) {
  auto n = std::make_unique<Node>();
  n->span = span;
  return n;
}
NodePtr Node::makeString(std::string text, Span span) {
  auto n = makeNull(span);
  n->kind = NodeKind::String;
  n->text = std::move(text);
  n->quoted = true;
  return n;
}
NodePtr Node::makeInt(int64_t v, Span span) {
  auto n = makeNull(span);
  n->kind = NodeKind::Int;
  n->intValue = v;
  n->text = std::to_string(v);
  return n;
}
NodePtr Node::makeBool(bool v, Span span) {
  auto n = makeNull(span);
  n->kind = NodeKind::Bool;
  n->boolValue = v;
  n->text = v ? "true" : "false";
  return n;
}
NodePtr Node::makeMap(Span span) {
  auto n = makeNull(span);
  n->kind = NodeKind::Map;
  return n;
}
NodePtr Node::makeList(Span span) {
  auto n = makeNull(span);
  n->kind = NodeKind::List;
  return n;
}

const MapEntry* Node::entry(std::string_view key) const {
  if (kind != NodeKind::Map) return nullptr;
  for (const MapEntry& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

const Node* Node::get(std::string_view key) const {
  const MapEntry* e = entry(key);
  return e ? e->value.get() : nullptr;
}

Node* Node::get(std::string_view key) { return const_cast<Node*>(static_cast<const Node*>(this)->get(key)); }

Node* Node::set(std::string key, NodePtr value, Span keySpan) {
  if (kind != NodeKind::Map) {
    kind = NodeKind::Map;
    items.clear();
  }
  for (MapEntry& e : entries) {
    if (e.key == key) {
      e.value = std::move(value);
      if (keySpan.valid()) e.keySpan = keySpan;
      return e.value.get();
    }
  }
  entries.push_back({std::move(key), keySpan, std::move(value)});
  return entries.back().value.get();
}

NodePtr Node::take(std::string_view key) {
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->key == key) {
      NodePtr v = std::move(it->value);
      entries.erase(it);
      return v;
    }
  }
  return nullptr;
}

const Node* Node::at(std::string_view path) const {
  const Node* cur = this;
  size_t pos = 0;
  while (cur && pos <= path.size()) {
    size_t dot = path.find('.', pos);
    std::string_view part = path.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    cur = cur->get(part);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return cur;
}

std::string Node::scalarText() const {
  switch (kind) {
    case NodeKind::Null: return "";
    case NodeKind::Bool: return boolValue ? "true" : "false";
    case NodeKind::Int:
    case NodeKind::Float:
    case NodeKind::String: return text;
    case NodeKind::List:
    case NodeKind::Map: return "";
  }
  return "";
}

NodePtr Node::clone() const {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  n->span = span;
  n->text = text;
  n->quoted = quoted;
  n->boolValue = boolValue;
  n->intValue = intValue;
  n->floatValue = floatValue;
  n->parsed = parsed;
  n->items.reserve(items.size());
  for (const NodePtr& i : items) n->items.push_back(i->clone());
  n->entries.reserve(entries.size());
  for (const MapEntry& e : entries) n->entries.push_back({e.key, e.keySpan, e.value->clone()});
  return n;
}

size_t Node::countNodes() const {
  size_t n = 1;
  for (const NodePtr& i : items) n += i->countNodes();
  for (const MapEntry& e : entries) n += e.value->countNodes();
  return n;
}

bool deepEqual(const Node& a, const Node& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case NodeKind::Null: return true;
    case NodeKind::Bool: return a.boolValue == b.boolValue;
    case NodeKind::Int: return a.intValue == b.intValue;
    case NodeKind::Float: return a.floatValue == b.floatValue;
    case NodeKind::String: return a.text == b.text;
    case NodeKind::List:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i)
        if (!deepEqual(*a.items[i], *b.items[i])) return false;
      return true;
    case NodeKind::Map:
      if (a.entries.size() != b.entries.size()) return false;
      for (const MapEntry& e : a.entries) {
        const Node* other = b.get(e.key);
        if (!other || !deepEqual(*e.value, *other)) return false;
      }
      return true;
  }
  return false;
}

namespace {

bool isUnionPath(const std::vector<std::string>& unionLists, const std::string& path) {
  return std::find(unionLists.begin(), unionLists.end(), path) != unionLists.end();
}

void mergeMaps(Node& base, const Node& over, const std::vector<std::string>& unionLists, const std::string& prefix) {
  for (const MapEntry& e : over.entries) {
    if (e.value->isNull()) {
      base.take(e.key);
      continue;
    }
    std::string path = prefix.empty() ? e.key : prefix + "." + e.key;
    Node* existing = base.get(e.key);
    if (e.value->isMap()) {
      // A map onto a non-map starts from an empty map, so nulls inside it remove nothing and vanish.
      if (!existing || !existing->isMap()) existing = base.set(e.key, Node::makeMap(e.value->span), e.keySpan);
      mergeMaps(*existing, *e.value, unionLists, path);
    } else if (existing && existing->isList() && e.value->isList() && isUnionPath(unionLists, path)) {
      for (const NodePtr& item : e.value->items) {
        bool present = std::any_of(existing->items.begin(), existing->items.end(),
                                   [&](const NodePtr& x) { return deepEqual(*x, *item); });
        if (!present) existing->items.push_back(item->clone());
      }
    } else {
      base.set(e.key, e.value->clone(), e.keySpan);
    }
  }
}

}  // namespace

void deepMerge(Node& base, const Node& over, const std::vector<std::string>& unionLists) {
  if (!base.isMap() || !over.isMap()) {
    base = std::move(*over.clone());
    return;
  }
  mergeMaps(base, over, unionLists, "");
}

}  // namespace ork::ir
