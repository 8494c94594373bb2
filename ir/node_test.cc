// Tests of ir::Node: construction, lookup, editing, deep copy, equality and the §9.3 deep merge.
#include <catch2/catch.hpp>

#include "ir/node.h"

using namespace ork;
using namespace ork::ir;

namespace {

Span sp(uint32_t b, uint32_t e) { return Span{1, b, e}; }

// {name: web, spec: {replicas: 2, ports: [80, 443]}, finalizers: [a]}
NodePtr sample() {
  auto root = Node::makeMap(sp(0, 100));
  root->set("name", Node::makeString("web", sp(6, 9)), sp(0, 4));
  auto spec = Node::makeMap(sp(20, 60));
  spec->set("replicas", Node::makeInt(2, sp(32, 33)), sp(22, 30));
  auto ports = Node::makeList(sp(40, 50));
  ports->items.push_back(Node::makeInt(80));
  ports->items.push_back(Node::makeInt(443));
  spec->set("ports", std::move(ports));
  root->set("spec", std::move(spec), sp(14, 18));
  auto fin = Node::makeList();
  fin->items.push_back(Node::makeString("a"));
  root->set("finalizers", std::move(fin));
  return root;
}

}  // namespace

TEST_CASE("constructors set kind, text and span") {
  auto s = Node::makeString("x", sp(1, 2));
  CHECK(s->kind == NodeKind::String);
  CHECK(s->isString());
  CHECK(s->quoted);
  CHECK(s->span == sp(1, 2));
  auto i = Node::makeInt(-42);
  CHECK(i->kind == NodeKind::Int);
  CHECK(i->intValue == -42);
  CHECK(i->scalarText() == "-42");
  auto b = Node::makeBool(true);
  CHECK(b->boolValue);
  CHECK(b->scalarText() == "true");
  CHECK(Node::makeNull()->isNull());
  CHECK(Node::makeNull()->scalarText().empty());
  CHECK(Node::makeMap()->isMap());
  CHECK(Node::makeList()->isList());
  CHECK_FALSE(Node::makeList()->isScalar());
  CHECK(Node::makeNull()->isScalar());
  CHECK(Node::makeMap()->scalarText().empty());
}

TEST_CASE("nodeKindName names kinds as messages use them") {
  CHECK(nodeKindName(NodeKind::Null) == "null");
  CHECK(nodeKindName(NodeKind::Bool) == "boolean");
  CHECK(nodeKindName(NodeKind::Int) == "integer");
  CHECK(nodeKindName(NodeKind::Float) == "number");
  CHECK(nodeKindName(NodeKind::String) == "string");
  CHECK(nodeKindName(NodeKind::List) == "list");
  CHECK(nodeKindName(NodeKind::Map) == "mapping");
}

TEST_CASE("get, entry and at look up keys and dotted paths") {
  auto root = sample();
  REQUIRE(root->get("name"));
  CHECK(root->get("name")->text == "web");
  CHECK(root->get("missing") == nullptr);
  CHECK(root->entry("spec")->keySpan == sp(14, 18));
  CHECK(root->at("spec.replicas")->intValue == 2);
  CHECK(root->at("spec.ports")->items.size() == 2);
  CHECK(root->at("spec.nothing") == nullptr);
  CHECK(root->at("name.deeper") == nullptr);  // a scalar has no keys
  CHECK(root->get("name")->get("x") == nullptr);
  const Node& croot = *root;
  CHECK(croot.get("spec")->isMap());
}

TEST_CASE("set replaces in place, keeping order; take removes") {
  auto root = sample();
  root->set("name", Node::makeString("api"));
  CHECK(root->entries[0].key == "name");
  CHECK(root->get("name")->text == "api");
  CHECK(root->entries[0].keySpan == sp(0, 4));  // an invalid new key span keeps the old one
  root->set("extra", Node::makeInt(1));
  CHECK(root->entries.back().key == "extra");
  NodePtr spec = root->take("spec");
  REQUIRE(spec);
  CHECK(spec->get("replicas")->intValue == 2);
  CHECK(root->get("spec") == nullptr);
  CHECK(root->take("spec") == nullptr);
  std::vector<std::string> keys;
  for (const MapEntry& e : root->entries) keys.push_back(e.key);
  CHECK(keys == std::vector<std::string>{"name", "finalizers", "extra"});
}

TEST_CASE("set on a non-map turns it into a map") {
  auto n = Node::makeList();
  n->items.push_back(Node::makeInt(1));
  n->set("a", Node::makeInt(2));
  CHECK(n->isMap());
  CHECK(n->items.empty());
  CHECK(n->get("a")->intValue == 2);
}

TEST_CASE("clone is deep and keeps spans") {
  auto root = sample();
  auto copy = root->clone();
  CHECK(deepEqual(*root, *copy));
  CHECK(copy->span == root->span);
  CHECK(copy->entry("spec")->keySpan == sp(14, 18));
  CHECK(copy->at("spec.replicas")->span == sp(32, 33));
  copy->get("spec")->set("replicas", Node::makeInt(3));
  CHECK(root->at("spec.replicas")->intValue == 2);
  CHECK(root->countNodes() == 9);  // root, name, spec, replicas, ports, 80, 443, finalizers, a
}

TEST_CASE("deepEqual ignores spans and map order, not kinds") {
  auto a = sample();
  auto b = sample();
  b->get("spec")->span = sp(70, 80);
  CHECK(deepEqual(*a, *b));
  // Map order does not matter.
  auto m1 = Node::makeMap();
  m1->set("x", Node::makeInt(1));
  m1->set("y", Node::makeInt(2));
  auto m2 = Node::makeMap();
  m2->set("y", Node::makeInt(2));
  m2->set("x", Node::makeInt(1));
  CHECK(deepEqual(*m1, *m2));
  // List order does.
  auto l1 = Node::makeList();
  l1->items.push_back(Node::makeInt(1));
  l1->items.push_back(Node::makeInt(2));
  auto l2 = Node::makeList();
  l2->items.push_back(Node::makeInt(2));
  l2->items.push_back(Node::makeInt(1));
  CHECK_FALSE(deepEqual(*l1, *l2));
  // The string "1" is not the integer 1; 1 is not 1.0.
  CHECK_FALSE(deepEqual(*Node::makeString("1"), *Node::makeInt(1)));
  Node f;
  f.kind = NodeKind::Float;
  f.floatValue = 1.0;
  CHECK_FALSE(deepEqual(f, *Node::makeInt(1)));
  CHECK(deepEqual(*Node::makeNull(), *Node::makeNull()));
  CHECK_FALSE(deepEqual(*Node::makeBool(true), *Node::makeBool(false)));
  // A key missing on one side.
  m2->set("z", Node::makeNull());
  CHECK_FALSE(deepEqual(*m1, *m2));
}

TEST_CASE("deepMerge: scalars replace, maps merge, lists replace, null removes") {
  auto base = sample();
  auto over = Node::makeMap();
  auto spec = Node::makeMap();
  spec->set("replicas", Node::makeInt(4, sp(90, 91)), sp(80, 88));
  auto ports = Node::makeList();
  ports->items.push_back(Node::makeInt(8080));
  spec->set("ports", std::move(ports));
  spec->set("image", Node::makeString("nginx"));
  over->set("spec", std::move(spec));
  over->set("name", Node::makeNull());
  deepMerge(*base, *over);
  CHECK(base->get("name") == nullptr);
  CHECK(base->at("spec.replicas")->intValue == 4);
  CHECK(base->at("spec.replicas")->span == sp(90, 91));      // the merged value keeps its origin
  CHECK(base->get("spec")->entry("replicas")->keySpan == sp(80, 88));
  REQUIRE(base->at("spec.ports")->items.size() == 1);
  CHECK(base->at("spec.ports")->items[0]->intValue == 8080);
  CHECK(base->at("spec.image")->text == "nginx");
  CHECK(base->get("finalizers")->items.size() == 1);       // untouched
  // Order: existing keys stay in place, new ones are appended.
  std::vector<std::string> keys;
  for (const MapEntry& e : base->get("spec")->entries) keys.push_back(e.key);
  CHECK(keys == std::vector<std::string>{"replicas", "ports", "image"});
}

TEST_CASE("deepMerge unions the named lists: base order, then new items, no duplicates") {
  auto base = sample();
  auto over = Node::makeMap();
  auto fin = Node::makeList();
  fin->items.push_back(Node::makeString("b"));
  fin->items.push_back(Node::makeString("a"));
  over->set("finalizers", std::move(fin));
  deepMerge(*base, *over, {"finalizers"});
  const Node* f = base->get("finalizers");
  REQUIRE(f->items.size() == 2);
  CHECK(f->items[0]->text == "a");
  CHECK(f->items[1]->text == "b");
}

TEST_CASE("deepMerge of a non-map replaces the whole value; a map replaces a scalar") {
  auto base = Node::makeInt(1);
  deepMerge(*base, *Node::makeString("x"));
  CHECK(base->isString());
  CHECK(base->text == "x");
  auto m = Node::makeMap();
  m->set("a", Node::makeInt(1));
  auto over = Node::makeMap();
  auto inner = Node::makeMap();
  inner->set("b", Node::makeInt(2));
  over->set("a", std::move(inner));
  deepMerge(*m, *over);
  CHECK(m->at("a.b")->intValue == 2);
}

TEST_CASE("deepMerge unions by path: only the named path unions, a same-named key elsewhere replaces") {
  auto list = [](std::vector<std::string> items) {
    auto l = Node::makeList();
    for (auto& i : items) l->items.push_back(Node::makeString(i));
    return l;
  };
  auto base = Node::makeMap();
  base->set("runtime", Node::makeMap())->set("finalizers", list({"a"}));
  base->set("custom", Node::makeMap())->set("finalizers", list({"x"}));
  auto over = Node::makeMap();
  over->set("runtime", Node::makeMap())->set("finalizers", list({"b", "a"}));
  over->set("custom", Node::makeMap())->set("finalizers", list({"y"}));
  auto fresh = over->set("fresh", Node::makeMap());
  fresh->set("gone", Node::makeNull());
  fresh->set("kept", Node::makeInt(1));
  deepMerge(*base, *over, {"runtime.finalizers"});
  REQUIRE(base->at("runtime.finalizers")->items.size() == 2);
  CHECK(base->at("runtime.finalizers")->items[0]->text == "a");
  CHECK(base->at("runtime.finalizers")->items[1]->text == "b");
  REQUIRE(base->at("custom.finalizers")->items.size() == 1);
  CHECK(base->at("custom.finalizers")->items[0]->text == "y");
  // A null inside a map the base lacks removes nothing and is not kept.
  CHECK(base->at("fresh.gone") == nullptr);
  CHECK(base->at("fresh.kept")->intValue == 1);
}
