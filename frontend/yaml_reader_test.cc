// Tests of the YAML reader: core schema, spans, multi-document streams, anchors and merge keys,
// and every hostile or broken input ending in a coded diagnostic at a sensible line:col.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "frontend/yaml_reader.h"
#include "ir/printer.h"

using namespace ork;
using namespace ork::frontend;

namespace {

struct Parsed {
  SourceManager sm;
  DiagnosticEngine diags;
  std::vector<YamlDocument> docs;
  FileId file = 0;

  const ir::Node& root(size_t i = 0) const { return *docs.at(i).root; }
  std::string loc(Span s) const { return sm.location(s); }
  std::string text(Span s) const { return std::string(sm.text(s)); }
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

TEST_CASE("YAML 1.2 core schema resolves plain scalars") {
  auto p = parse(
      "yes: yes\non: on\nno: n\nhex: 0x1F\noct: 0o17\nint: -42\nplus: +7\nlead: 012\nfloat: 1.5\nexp: 1e3\n"
      "inf: -.inf\nnan: .nan\ntilde: ~\nnul: null\nempty:\nbool: true\nBool: False\nquoted: \"5432\"\n"
      "single: '1.5'\nstr: !!str 12\nver: 1.2.3\ndate: 2026-01-01\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& r = p->root();
  CHECK(r.get("yes")->kind == ir::NodeKind::String);
  CHECK(r.get("yes")->text == "yes");
  CHECK(r.get("on")->kind == ir::NodeKind::String);
  CHECK(r.entry("on")->key == "on");  // keys too stay text
  CHECK(r.get("no")->kind == ir::NodeKind::String);
  CHECK(r.get("hex")->kind == ir::NodeKind::Int);
  CHECK(r.get("hex")->intValue == 31);
  CHECK(r.get("hex")->text == "0x1F");  // the text as written is kept
  CHECK(r.get("oct")->intValue == 15);
  CHECK(r.get("int")->intValue == -42);
  CHECK(r.get("plus")->intValue == 7);
  CHECK(r.get("lead")->intValue == 12);  // no YAML 1.1 octal
  CHECK(r.get("float")->kind == ir::NodeKind::Float);
  CHECK(r.get("float")->floatValue == 1.5);
  CHECK(r.get("exp")->kind == ir::NodeKind::Float);
  CHECK(r.get("exp")->floatValue == 1000.0);
  CHECK(r.get("inf")->kind == ir::NodeKind::Float);
  CHECK(std::isinf(r.get("inf")->floatValue));
  CHECK(r.get("inf")->floatValue < 0);
  CHECK(std::isnan(r.get("nan")->floatValue));
  CHECK(r.get("tilde")->isNull());
  CHECK(r.get("nul")->isNull());
  CHECK(r.get("empty")->isNull());
  CHECK(r.get("bool")->kind == ir::NodeKind::Bool);
  CHECK(r.get("bool")->boolValue);
  CHECK(r.get("Bool")->kind == ir::NodeKind::Bool);
  CHECK_FALSE(r.get("Bool")->boolValue);
  CHECK(r.get("quoted")->kind == ir::NodeKind::String);
  CHECK(r.get("quoted")->text == "5432");
  CHECK(r.get("quoted")->quoted);
  CHECK(r.get("single")->kind == ir::NodeKind::String);
  CHECK(r.get("str")->kind == ir::NodeKind::String);
  CHECK(r.get("str")->text == "12");
  CHECK(r.get("ver")->kind == ir::NodeKind::String);
  CHECK(r.get("date")->kind == ir::NodeKind::String);  // no timestamp type in the core schema
}

TEST_CASE("spans of keys and values, quoted scalars and flow collections") {
  auto p = parse(
      "spec:\n"
      "  workers: 4\n"
      "  image: \"nginx:1.25\"\n"
      "  'single': 'x'\n"
      "  ports: [80, {port: 443}]\n"
      "  empty: []\n"
      "  list:\n"
      "    - a\n"
      "    - b: c\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& spec = *p->root().get("spec");
  CHECK(p->loc(p->root().entry("spec")->keySpan) == "t.yaml:1:1");
  CHECK(p->loc(spec.span) == "t.yaml:2:3");
  CHECK(p->loc(spec.entry("workers")->keySpan) == "t.yaml:2:3");
  CHECK(p->text(spec.entry("workers")->keySpan) == "workers");
  CHECK(p->loc(spec.get("workers")->span) == "t.yaml:2:12");
  CHECK(p->text(spec.get("workers")->span) == "4");
  CHECK(p->loc(spec.get("image")->span) == "t.yaml:3:10");
  CHECK(p->text(spec.get("image")->span) == "\"nginx:1.25\"");  // quotes included
  CHECK(p->text(spec.entry("single")->keySpan) == "'single'");
  CHECK(p->loc(spec.get("single")->span) == "t.yaml:4:13");
  const ir::Node& ports = *spec.get("ports");
  CHECK(p->loc(ports.span) == "t.yaml:5:10");
  CHECK(p->text(ports.span) == "[80, {port: 443}]");  // up to the closing bracket
  CHECK(p->loc(ports.items[1]->span) == "t.yaml:5:15");
  CHECK(p->text(ports.items[1]->span) == "{port: 443}");
  CHECK(p->loc(ports.items[1]->entry("port")->keySpan) == "t.yaml:5:16");
  CHECK(p->loc(ports.items[1]->get("port")->span) == "t.yaml:5:22");
  CHECK(p->text(spec.get("empty")->span) == "[]");
  const ir::Node& list = *spec.get("list");
  CHECK(p->loc(list.items[0]->span) == "t.yaml:8:7");
  CHECK(p->loc(list.items[1]->span) == "t.yaml:9:7");
  CHECK(p->loc(list.items[1]->get("b")->span) == "t.yaml:9:10");
}

TEST_CASE("spans of multi-line, block, null, tagged and anchored scalars") {
  auto p = parse(
      "plain: multi\n"
      "  line\n"
      "block: |\n"
      "  one\n"
      "\n"
      "  two\n"
      "folded: >-\n"
      "  a\n"
      "  b\n"
      "tilde: ~\n"
      "bare:\n"
      "tagged: !!str 5\n"
      "anchored: &a {x: 1}\n"
      "after: 1\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& r = p->root();
  CHECK(r.get("plain")->text == "multi line");
  CHECK(p->text(r.get("plain")->span) == "multi\n  line");
  CHECK(r.get("block")->text == "one\n\ntwo\n");
  CHECK(p->text(r.get("block")->span) == "|\n  one\n\n  two");
  CHECK(r.get("folded")->text == "a b");
  CHECK(p->text(r.get("folded")->span) == ">-\n  a\n  b");
  CHECK(p->text(r.get("tilde")->span) == "~");
  CHECK(p->loc(r.get("bare")->span) == "t.yaml:11:1");  // a missing value points at its key
  CHECK(p->loc(r.get("tagged")->span) == "t.yaml:12:15");  // after the tag
  CHECK(p->text(r.get("anchored")->span) == "{x: 1}");     // after the anchor
  CHECK(p->loc(r.get("after")->span) == "t.yaml:14:8");
}

TEST_CASE("CRLF input keeps lines and columns") {
  auto p = parse("a: 1\r\nb:\r\n  c: \"x\"\r\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node* c = p->root().at("b.c");
  REQUIRE(c);
  CHECK(c->text == "x");
  CHECK(p->loc(c->span) == "t.yaml:3:6");
}

TEST_CASE("multi-document streams skip empty documents") {
  auto p = parse("---\n---\n# only a comment\n---\na: 1\n...\n---\n\n---\nb: 2\n---\n");
  REQUIRE(p->diags.diagnostics().empty());
  REQUIRE(p->docs.size() == 2);
  CHECK(p->docs[0].index == 0);
  CHECK(p->docs[1].index == 1);
  CHECK(p->root(0).get("a")->intValue == 1);
  CHECK(p->root(1).get("b")->intValue == 2);
  CHECK(p->loc(p->root(1).entry("b")->keySpan) == "t.yaml:10:1");
}

TEST_CASE("an empty file or a comment-only file has no documents and no errors") {
  CHECK(parse("")->docs.empty());
  auto p = parse("# nothing here\n\n");
  CHECK(p->docs.empty());
  CHECK(p->diags.diagnostics().empty());
}

TEST_CASE("anchors, aliases and << merge keys; explicit keys win") {
  auto p = parse(
      "base: &base {image: nginx, replicas: 1, port: 80}\n"
      "extra: &extra {port: 8080, tier: web}\n"
      "one:\n"
      "  <<: *base\n"
      "  replicas: 3\n"
      "two:\n"
      "  replicas: 5\n"
      "  <<: [*extra, *base]\n"
      "copy: *base\n"
      "list: [*base, *base]\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& r = p->root();
  const ir::Node& one = *r.get("one");
  CHECK(one.get("<<") == nullptr);
  CHECK(one.get("replicas")->intValue == 3);  // explicit key wins over the merged one
  CHECK(one.get("image")->text == "nginx");
  CHECK(one.get("port")->intValue == 80);
  CHECK(one.entries[0].key == "replicas");  // own keys first, then merged ones
  const ir::Node& two = *r.get("two");
  CHECK(two.get("replicas")->intValue == 5);  // explicit key before << also wins
  CHECK(two.get("port")->intValue == 8080);   // the first merged mapping wins
  CHECK(two.get("tier")->text == "web");
  CHECK(two.get("image")->text == "nginx");
  CHECK(ir::deepEqual(*r.get("copy"), *r.get("base")));
  CHECK(r.get("list")->items.size() == 2);
  // A merged key keeps the span of its definition (its origin).
  CHECK(p->loc(one.entry("image")->keySpan) == "t.yaml:1:14");
}

TEST_CASE("only a plain << is a merge key; a quoted one is an ordinary key") {
  auto p = parse("a: {\"<<\": 2, x: 1}\nb: {'<<': {y: 1}}\n");
  REQUIRE(p->diags.diagnostics().empty());
  CHECK(p->root().at("a")->get("<<")->intValue == 2);
  CHECK(p->root().at("b")->get("<<")->isMap());
  CHECK(p->root().at("b")->get("y") == nullptr);
}

TEST_CASE("a << value that is not a mapping is ORK1007") {
  auto p = parse("a:\n  <<: 5\n");
  CHECK(p->only().code == DiagCode::InvalidMergeKey);
  CHECK(p->loc(p->only().span) == "t.yaml:2:7");
}

TEST_CASE("an alias to an undefined anchor is ORK1005") {
  auto p = parse("a: 1\nb: *nowhere\n");
  CHECK(p->only().code == DiagCode::UnknownAlias);
  CHECK(p->loc(p->only().span) == "t.yaml:2:4");
}

TEST_CASE("duplicate keys are ORK1002 at the second, with a note at the first") {
  auto p = parse("spec:\n  workers: 1\n  resync: 5m\n  workers: 2\n");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::DuplicateKey);
  CHECK(d.message == "duplicate key 'workers'");
  CHECK(p->loc(d.span) == "t.yaml:4:3");
  CHECK(p->text(d.span) == "workers");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "first defined here");
  CHECK(p->loc(d.notes[0].span) == "t.yaml:2:3");
  // The document is still returned; the first value is kept.
  REQUIRE(p->docs.size() == 1);
  CHECK(p->root().at("spec.workers")->intValue == 1);
}

TEST_CASE("custom tags are ORK1003") {
  auto p = parse("a: 1\nb: !include other.yaml\n");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::CustomTag);
  CHECK(d.message == "custom YAML tag '!include' is not supported; ork reads the YAML 1.2 core schema only");
  CHECK(p->loc(d.span) == "t.yaml:2:4");
  CHECK(p->text(d.span) == "!include");

  auto q = parse("b: !!binary aGVsbG8=\n");
  CHECK(q->only().code == DiagCode::CustomTag);
  CHECK(q->only().message == "custom YAML tag '!!binary' is not supported; ork reads the YAML 1.2 core schema only");

  auto m = parse("m: !custom {a: 1}\n");
  CHECK(m->only().code == DiagCode::CustomTag);
}

TEST_CASE("a non-string key is ORK1009") {
  auto p = parse("? [a, b]\n: 1\n");
  CHECK(p->only().code == DiagCode::NonStringKey);
  CHECK(p->only().message == "mapping key is a list; keys must be strings");
  auto q = parse(": 1\n");
  CHECK(q->only().code == DiagCode::NonStringKey);
  CHECK(q->loc(q->only().span) == "t.yaml:1:1");
}

TEST_CASE("nesting 1000 levels deep is ORK1004 without a crash") {
  std::string flow = "a: " + std::string(1000, '[') + std::string(1000, ']') + "\n";
  auto p = parse(flow);
  CHECK(p->only().code == DiagCode::NestingTooDeep);
  CHECK(p->only().message == "nesting deeper than 200 levels");
  CHECK(p->loc(p->only().span) == "t.yaml:1:203");
  CHECK(p->docs.empty());

  std::string block;
  for (int i = 0; i < 1000; ++i) block += std::string(i, ' ') + "k:\n";
  auto q = parse(block);
  CHECK(q->only().code == DiagCode::NestingTooDeep);
  CHECK(q->loc(q->only().span) == "t.yaml:201:201");

  // Far beyond yaml-cpp's own recursion guard.
  auto r = parse("a: " + std::string(20000, '{'));
  REQUIRE(r->diags.diagnostics().size() == 1);
  CHECK(r->diags.diagnostics()[0].code == DiagCode::NestingTooDeep);
}

TEST_CASE("billion laughs: alias expansion is bounded (ORK1006)") {
  std::string y = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string name(1, c);
    y += name + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) y += (i ? ", *" : "*") + prev;
    y += "]\n";
    prev = name;
  }
  auto p = parse(y);
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::DocumentTooLarge);
  CHECK(d.message ==
        "document expands to more than 1000000 nodes (alias expansion or size); split it or remove nested aliases");
  INFO(p->loc(d.span));
  CHECK(p->loc(d.span).rfind("t.yaml:6:", 0) == 0);  // where the budget ran out (f: 10^6 nodes)
  CHECK(p->docs.empty());
}

TEST_CASE("truncated flow collections are ORK1001 at the end of input") {
  auto p = parse("a: [1, 2");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::YamlSyntax);
  CHECK(d.message == "YAML: end of sequence flow not found (a '[' is not closed by ']')");
  CHECK(p->loc(d.span) == "t.yaml:1:9");

  auto q = parse("a: {b: 1\n");
  CHECK(q->only().code == DiagCode::YamlSyntax);
  CHECK(q->only().message == "YAML: end of map flow not found (a '{' is not closed by '}')");
}

TEST_CASE("tab indentation is ORK1001 at the tab") {
  auto p = parse("spec:\n\tworkers: 2\n");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::YamlSyntax);
  CHECK(d.message == "YAML: tab character in indentation (YAML indentation must use spaces, not tabs)");
  CHECK(p->loc(d.span) == "t.yaml:2:1");

  auto q = parse("spec:\n  a: 1\n\tb: 2\n");
  CHECK(q->only().code == DiagCode::YamlSyntax);
  CHECK(q->only().message.find("tabs") != std::string::npos);
  CHECK(q->loc(q->only().span) == "t.yaml:3:1");
}

TEST_CASE("an unclosed quote is ORK1001 at the opening quote") {
  auto p = parse("name: web\nimage: \"nginx:1.25\nport: 80\n");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::YamlSyntax);
  CHECK(d.message == "YAML: end of string not found (a \" quote is not closed)");
  CHECK(p->loc(d.span) == "t.yaml:2:8");

  auto q = parse("a: 'x\n");
  CHECK(q->only().code == DiagCode::YamlSyntax);
  CHECK(q->loc(q->only().span) == "t.yaml:1:4");
}

TEST_CASE("bad indentation and stray colons are ORK1001 with a hint") {
  auto p = parse("a:\n  - 1\n b: 2\n");
  CHECK(p->only().code == DiagCode::YamlSyntax);
  CHECK(p->only().message == "YAML: end of map not found (check the indentation of this line and the one before)");
  CHECK(p->loc(p->only().span) == "t.yaml:3:2");

  auto q = parse("a: b: c\n");
  CHECK(q->only().code == DiagCode::YamlSyntax);
  CHECK(q->loc(q->only().span) == "t.yaml:1:5");
}

TEST_CASE("documents before a syntax error are returned") {
  auto p = parse("a: 1\n---\nb: [\n");
  CHECK(p->diags.has(DiagCode::YamlSyntax));
  REQUIRE(p->docs.size() == 1);
  CHECK(p->root().get("a")->intValue == 1);
}

TEST_CASE("binary input is ORK0003: NUL bytes and invalid UTF-8") {
  auto p = parse(std::string("a: 1\nb: x\0y\n", 11));
  CHECK(p->only().code == DiagCode::BinaryFile);
  CHECK(p->only().message == "file holds a NUL byte; ork reads YAML text files only");
  CHECK(p->loc(p->only().span) == "t.yaml:2:5");
  CHECK(p->docs.empty());

  auto q = parse("a: \xff\xfe\n");
  CHECK(q->only().code == DiagCode::BinaryFile);
  CHECK(q->only().message == "file is not valid UTF-8 text; ork reads YAML text files only");
  CHECK(q->loc(q->only().span) == "t.yaml:1:4");

  auto truncated = parse("a: \xc3");  // a lead byte without its continuation
  CHECK(truncated->only().code == DiagCode::BinaryFile);

  auto ok = parse("name: caf\xc3\xa9 \xe2\x9c\x93\n");  // valid multi-byte text
  CHECK(ok->diags.diagnostics().empty());
  CHECK(ok->root().get("name")->text == "caf\xc3\xa9 \xe2\x9c\x93");
}

TEST_CASE("printNode output reads back as the same tree (corpus and tricky scalars)") {
  const char* shared = std::getenv("ORK_SHARED_DIR");
  std::filesystem::path dir = std::filesystem::path(shared ? shared : "../shared") / "corpus" / "orkestra";
  std::vector<std::string> texts = {
      "a: [\"yes\", \"on\", \"5432\", \"\", \" x\", \"a: b\", \"#c\", \"{{ .x }}\", \"1:30\", \"0x1F\"]\n"
      "b: {\"k: v\": 1, \"<<\": 2, \"on\": 3}\n"
      "c: \"multi\\nline\\ttab \\\"q\\\" \\\\ back\"\n"
      "d: [1.5, 1.0, -0.25, 1e300, .inf, -.inf, 0x1F, -3, true, null, ~]\n"
      "e: |\n  block\n  text\n"
      "f: [[], {}, [[a]], [{x: 1, y: [2]}]]\n"};
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
    ++files;
  }
  CHECK(files >= 25);
  for (const std::string& text : texts) {
    auto first = parse(text);
    REQUIRE(first->diags.diagnostics().empty());
    for (const YamlDocument& doc : first->docs) {
      std::string printed = ir::printNode(*doc.root);
      auto second = parse(printed);
      INFO(printed);
      REQUIRE(second->diags.diagnostics().empty());
      REQUIRE(second->docs.size() == 1);
      CHECK(ir::deepEqual(*doc.root, *second->docs[0].root));
      CHECK(ir::printNode(*second->docs[0].root) == printed);  // printing is idempotent
    }
  }
}
