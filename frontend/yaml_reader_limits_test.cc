// Tests of the YAML reader's review fixes: integers outside int64, recursive aliases, old-Mac line endings,
// duplicate keys and merge keys in large mappings.
#include <catch2/catch.hpp>

#include <string>

#include "frontend/yaml_reader.h"

using namespace ork;
using namespace ork::frontend;

namespace {

struct Parsed {
  SourceManager sm;
  DiagnosticEngine diags;
  std::vector<YamlDocument> docs;
  FileId file = 0;

  const ir::Node& root() const { return *docs.at(0).root; }
  std::string loc(Span s) const { return sm.location(s); }
  const Diagnostic& only() const {
    REQUIRE(diags.diagnostics().size() == 1);
    return diags.diagnostics()[0];
  }
};

std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->file = p->sm.addBuffer("t.yaml", std::move(text));
  p->docs = readYaml(p->sm, p->file, p->diags);
  return p;
}

}  // namespace

TEST_CASE("integers at the int64 limits resolve; past them they are ORK1108 naming the text") {
  auto p = parse("max: 9223372036854775807\nmin: -9223372036854775808\nhex: 0x7FFFFFFFFFFFFFFF\n");
  REQUIRE(p->diags.diagnostics().empty());
  CHECK(p->root().get("max")->intValue == INT64_MAX);
  CHECK(p->root().get("min")->intValue == INT64_MIN);
  CHECK(p->root().get("hex")->intValue == INT64_MAX);
  for (std::string text :
       {"0x10000000000000000", "0o7777777777777777777777", "9223372036854775808", "-9223372036854775809"}) {
    auto q = parse("a: 1\nb: " + text + "\n");
    const Diagnostic& d = q->only();
    CHECK(d.code == DiagCode::InvalidValue);
    CHECK(d.message == "integer out of range: '" + text + "'");
    CHECK(q->loc(d.span) == "t.yaml:2:4");
    CHECK(q->root().get("b")->kind == ir::NodeKind::String);  // never Int 0
  }
}

TEST_CASE("an alias inside its own anchored node is a recursive alias, naming it") {
  auto p = parse("a: &x {b: *x}\n");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::UnknownAlias);
  CHECK(d.message ==
        "alias '*x' refers to its own anchor '&x' (recursive alias); an alias must refer to a node that ends "
        "before it");
  CHECK(p->loc(d.span) == "t.yaml:1:11");
  auto q = parse("l: &top\n  - 1\n  - *top\n");
  CHECK(q->only().code == DiagCode::UnknownAlias);
  CHECK(q->loc(q->only().span) == "t.yaml:3:5");
}

TEST_CASE("a lone CR is a line break (old Mac files), so lines and columns match libyaml's") {
  auto q = parse("a: 1\rb:\r  c: 7\r");
  REQUIRE(q->diags.diagnostics().empty());
  CHECK(q->loc(q->root().at("b.c")->span) == "t.yaml:3:6");
  CHECK(q->sm.lineText(q->file, 2) == "b:");
}

TEST_CASE("duplicate keys in a flat mapping of many keys: each found once, first entry kept") {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "k" + std::to_string(i) + ": " + std::to_string(i) + "\n";
  text += "k7: 8\n";
  auto p = parse(text);
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::DuplicateKey);
  CHECK(p->loc(d.span) == "t.yaml:20001:1");
  REQUIRE(d.notes.size() == 1);
  CHECK(p->loc(d.notes[0].span) == "t.yaml:8:1");
  CHECK(p->root().entries.size() == 20000);
  CHECK(p->root().get("k7")->intValue == 7);
}

TEST_CASE("merge keys: own keys win, the first merged map wins, order kept") {
  auto p = parse("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  x: 0\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& c = *p->root().get("c");
  REQUIRE(c.entries.size() == 3);
  CHECK(c.entries[0].key == "x");
  CHECK(c.entries[0].value->intValue == 0);
  CHECK(c.entries[1].key == "y");
  CHECK(c.entries[1].value->intValue == 2);
  CHECK(c.entries[2].key == "z");
}
