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
  CHECK(p->loc(r.get("bare")->span) == "t.yaml:11:1");     // a missing value points at its key
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
  CHECK(q->only().message ==
        "custom YAML tag '!!binary' is not supported; ork reads the YAML 1.2 core schema only");

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
        "document expands to more than 1000000 nodes (alias expansion or size); split it or remove nested "
        "aliases");
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
  CHECK(p->only().message ==
        "YAML: bad indentation of a mapping key (check the indentation of this line and the one before)");
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

TEST_CASE("a %YAML 1.2 directive is accepted and the core schema stays ours") {
  auto p = parse("%YAML 1.2\n---\nenabled: yes\nmode: on\nport: 0o17\nold: 010\n");
  REQUIRE(p->diags.diagnostics().empty());
  REQUIRE(p->docs.size() == 1);
  CHECK(p->root().get("enabled")->kind == ir::NodeKind::String);
  CHECK(p->root().get("mode")->kind == ir::NodeKind::String);
  CHECK(p->root().get("port")->intValue == 15);
  CHECK(p->root().get("old")->intValue == 10);
  CHECK(p->loc(p->docs[0].start) == "t.yaml:2:1");  // the document starts at its `---`

  auto q = parse("%YAML 1.1\n---\na: 1\n");  // a 1.1 directive changes nothing either
  REQUIRE(q->diags.diagnostics().empty());
  CHECK(q->root().get("a")->intValue == 1);

  auto r = parse("%YAML 2.0\n---\na: 1\n");
  CHECK(r->only().code == DiagCode::YamlSyntax);
  CHECK(r->only().message == "YAML: unsupported %YAML version (ork reads YAML 1.2)");
  CHECK(r->loc(r->only().span) == "t.yaml:1:1");
}

TEST_CASE("spans count bytes after multi-byte characters and a byte order mark") {
  auto p = parse("name: \"caf\xc3\xa9\"\nemoji: \xf0\x9f\x9a\x80 go\nlist: [\xc3\xa9, x]\nafter: 1\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& r = p->root();
  CHECK(p->text(r.get("name")->span) == "\"caf\xc3\xa9\"");
  CHECK(p->text(r.get("emoji")->span) == "\xf0\x9f\x9a\x80 go");
  CHECK(p->text(r.get("list")->span) == "[\xc3\xa9, x]");
  CHECK(p->text(r.get("list")->items[1]->span) == "x");
  CHECK(p->loc(r.entry("after")->keySpan) == "t.yaml:4:1");
  CHECK(p->text(r.get("after")->span) == "1");

  auto bom = parse(
      "\xef\xbb\xbf"
      "a: 1\nb: \xc3\xa9t\xc3\xa9\n");
  REQUIRE(bom->diags.diagnostics().empty());
  CHECK(bom->root().entry("a")->key == "a");
  CHECK(bom->text(bom->root().entry("a")->keySpan) == "a");
  CHECK(bom->text(bom->root().get("b")->span) == "\xc3\xa9t\xc3\xa9");

  // An error after multi-byte text still points at the right byte.
  auto err = parse("name: \xc3\xa9\xc3\xa9\xc3\xa9\nlist: [1, 2}\n");
  CHECK(err->only().code == DiagCode::YamlSyntax);
  CHECK(err->loc(err->only().span) == "t.yaml:2:12");
  CHECK(err->text(err->only().span) == "}");
}

TEST_CASE("spans from the parser's marks: block scalars, properties, implicit pairs, aliases") {
  auto p = parse(
      "keep: |+\n"
      "  kept\n"
      "\n"
      "\n"
      "strip: >-\n"
      "  text # not a comment\n"
      "# a comment\n"
      "empty: |\n"
      "anchored: &v value\n"
      "both: &w !!str 7\n"
      "nothing: &n\n"
      "pairs: [a: 1, b]\n"
      "*v : aliased key\n"
      "ref: *v\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& r = p->root();
  CHECK(r.get("keep")->text == "kept\n\n\n");
  CHECK(p->text(r.get("keep")->span) == "|+\n  kept");
  CHECK(p->text(r.get("strip")->span) == ">-\n  text # not a comment");
  CHECK(r.get("empty")->text.empty());
  CHECK(p->text(r.get("empty")->span) == "|");
  CHECK(p->text(r.get("anchored")->span) == "value");
  CHECK(p->text(r.get("both")->span) == "7");
  CHECK(r.get("both")->kind == ir::NodeKind::String);
  CHECK(r.get("nothing")->isNull());
  CHECK(p->loc(r.get("nothing")->span) == "t.yaml:11:1");  // an anchored empty value points at its key
  const ir::Node& pairs = *r.get("pairs");
  REQUIRE(pairs.items.size() == 2);
  CHECK(pairs.items[0]->isMap());
  CHECK(p->text(pairs.items[0]->span) == "a: 1");  // a single-pair mapping has no brackets
  CHECK(p->text(pairs.span) == "[a: 1, b]");
  CHECK(r.get("value")->text == "aliased key");
  CHECK(p->text(r.entry("value")->keySpan) == "*v");  // an alias key points at the alias
  CHECK(p->text(r.get("ref")->span) == "value");      // the copy keeps the anchored node's span
}

TEST_CASE("spans of indentless sequences and verbatim tags") {
  auto p = parse("a: &x\n- 1\nb:\n- 2\nc: !<tag:yaml.org,2002:str> 5\n");
  REQUIRE(p->diags.diagnostics().empty());
  const ir::Node& r = p->root();
  CHECK(p->loc(r.get("a")->span) == "t.yaml:2:1");
  CHECK(p->text(r.get("a")->span) == "- 1");
  CHECK(p->text(r.get("b")->span) == "- 2");
  CHECK(r.get("c")->kind == ir::NodeKind::String);
  CHECK(p->text(r.get("c")->span) == "5");  // a verbatim tag may hold ','
}

TEST_CASE("a custom tag after an anchor is reported at the tag") {
  auto p = parse("a: &x !secret {k: v}\n");
  CHECK(p->only().code == DiagCode::CustomTag);
  CHECK(p->text(p->only().span) == "!secret");
  CHECK(p->loc(p->only().span) == "t.yaml:1:7");

  auto q = parse("- !!set\n  ? a\n");
  CHECK(q->only().code == DiagCode::CustomTag);
  CHECK(q->only().message ==
        "custom YAML tag '!!set' is not supported; ork reads the YAML 1.2 core schema only");
  CHECK(q->loc(q->only().span) == "t.yaml:1:3");
}

TEST_CASE("an alias is reported over its whole name") {
  auto p = parse("a: *nowhere\n");
  CHECK(p->only().code == DiagCode::UnknownAlias);
  CHECK(p->text(p->only().span) == "*nowhere");
  // An anchor is known only once its node is complete, and only in its own document.
  auto q = parse("a: &x [*x]\n");
  CHECK(q->only().code == DiagCode::UnknownAlias);
  auto r = parse("a: &x 1\n---\nb: *x\n");
  CHECK(r->only().code == DiagCode::UnknownAlias);
  CHECK(r->docs.size() == 1);
}

TEST_CASE("an unclosed bracket notes where it was opened") {
  auto p = parse("a: [1, [2, 3]\nb: 1\n");
  const Diagnostic& d = p->only();
  CHECK(d.code == DiagCode::YamlSyntax);
  CHECK(d.message == "YAML: expected ',' or ']' here (a '[' is not closed by ']')");
  CHECK(p->loc(d.span) == "t.yaml:2:1");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "the unclosed '[' is here");
  CHECK(p->loc(d.notes[0].span) == "t.yaml:1:4");

  auto q = parse("a: {b: 1\n# trailing comment\n");
  CHECK(q->only().message == "YAML: end of map flow not found (a '{' is not closed by '}')");
  REQUIRE(q->only().notes.size() == 1);
  CHECK(q->loc(q->only().notes[0].span) == "t.yaml:1:4");

  auto r = parse("a: 1\nb: ]\n");
  CHECK(r->only().message == "YAML: unexpected ']' (no '[' is open)");
  CHECK(r->loc(r->only().span) == "t.yaml:2:4");
  auto s = parse("{a: 1}}\n");
  CHECK(s->only().message == "YAML: unexpected '}' (no '{' is open)");
  CHECK(s->loc(s->only().span) == "t.yaml:1:7");
}

TEST_CASE("libyaml's errors are worded as what to fix, at the problem") {
  struct Case {
    const char* text;
    const char* location;
    const char* message;
  };
  const Case cases[] = {
      {"a: 1\nb\nc: 2\n", "t.yaml:2:1",
       "YAML: missing ':' after a mapping key (a key and its ':' must be on one line)"},
      {"a: b: c\n", "t.yaml:1:5",
       "YAML: unexpected ':' (quote a value that contains ': ', or check the indentation of this line and "
       "the one "
       "before)"},
      {"a: 1\n  b: 2\n", "t.yaml:2:4",
       "YAML: unexpected ':' (quote a value that contains ': ', or check the indentation of this line and "
       "the one "
       "before)"},
      {"a: b\n- c\n", "t.yaml:2:1",
       "YAML: a list item where a mapping key was expected (check the indentation of this line and the one "
       "before)"},
      {"- a\nb: 1\n", "t.yaml:2:1",
       "YAML: bad indentation of a list item (check the indentation of this line and the one before; a list "
       "and a "
       "mapping cannot share one level)"},
      {"a: \"x\" y\n", "t.yaml:1:8",
       "YAML: unexpected text after a value (quote the whole value, or start a new line)"},
      {"a: - b\n", "t.yaml:1:4",
       "YAML: a list cannot start on the line of its key (start it on the next line, indented)"},
      {"a: \"C:\\dir\"\n", "t.yaml:1:7",
       "YAML: unknown escape sequence in a double-quoted string (write \\\\ for a backslash, or use single "
       "quotes)"},
      {"a: \"\\xZZ\"\n", "t.yaml:1:7",
       "YAML: invalid escape sequence in a double-quoted string (\\x, \\u and \\U take 2, 4 and 8 hex "
       "digits)"},
      {"a: @x\n", "t.yaml:1:4", "YAML: a value cannot start with '@' (quote the value)"},
      {"a: &\n", "t.yaml:1:4", "YAML: '&' must be followed by a name (quote a value that starts with '&')"},
      {"a: *\n", "t.yaml:1:4", "YAML: '*' must be followed by a name (quote a value that starts with '*')"},
      {"a: !x!y z\n", "t.yaml:1:4", "YAML: malformed or undefined tag (quote a value that starts with '!')"},
      {"a: | x\n", "t.yaml:1:6",
       "YAML: malformed block scalar header (after '|' or '>' only '+' or '-', an indentation digit 1-9 and "
       "a comment "
       "may follow)"},
      {"%FOO\n---\na: 1\n", "t.yaml:1:5",
       "YAML: unknown or malformed directive (a '%' at the start of a line begins one; quote the value)"},
      {"anchors: &a1 &a2 x\n", "t.yaml:1:14",
       "YAML: a node can have only one anchor (remove one of the '&' names)"},
      {"a: !!str !!int 5\n", "t.yaml:1:10",
       "YAML: a node can have only one tag (remove one of the '!' tags)"},
      {"a: [x, , y]\n", "t.yaml:1:8",
       "YAML: unexpected ',' (a comma separates items only inside [ ] or { })"},
      // yaml-cpp read a line left of the first key as a second document; it is an indentation error.
      {"  a: 1\nb: 2\n", "t.yaml:2:1",
       "YAML: unexpected text after the document's top-level node (check the indentation of this line; a new "
       "document starts with '---')"},
      // yaml-cpp read a last line without ':' as a key with a null value.
      {"a: 1\nb\n", "t.yaml:2:1",
       "YAML: missing ':' after a mapping key (a key and its ':' must be on one line)"},
      // YAML 1.2 allows a bare document after `...`; libyaml (YAML 1.1 syntax) wants its `---`.
      {"a: 1\n...\nb: 2\n", "t.yaml:3:1",
       "YAML: unexpected text after the end of a document (start a new document with '---')"},
      {"a: \"x\n---\nb: 1\n", "t.yaml:1:4", "YAML: end of string not found (a \" quote is not closed)"},
      {"a:\tb\nc:\n\t- x\n", "t.yaml:3:1",  // a tab after the ":" is a separator, not indentation
       "YAML: tab character in indentation (YAML indentation must use spaces, not tabs)"},
      {"a: x\x1b\n", "t.yaml:1:5",
       "YAML: control character U+001B is not allowed in YAML text (remove it, or write it as an escape in a "
       "double-quoted string)"},
  };
  for (const Case& c : cases) {
    auto p = parse(c.text);
    INFO(c.text);
    REQUIRE(p->diags.diagnostics().size() == 1);
    const Diagnostic& d = p->diags.diagnostics()[0];
    CHECK(d.code == DiagCode::YamlSyntax);
    CHECK(p->loc(d.span) == c.location);
    CHECK(d.message == c.message);
  }
}

TEST_CASE("an entry without a key is ORK1009 at its ':'") {
  auto p = parse("a: 1\n: 2\n");
  CHECK(p->only().code == DiagCode::NonStringKey);
  CHECK(p->only().message == "mapping key is empty or null; keys must be strings");
  CHECK(p->loc(p->only().span) == "t.yaml:2:1");
  auto q = parse("m: {: 1}\n");
  CHECK(q->only().code == DiagCode::NonStringKey);
  CHECK(q->loc(q->only().span) == "t.yaml:1:5");
  auto r = parse("? \n: 1\n");  // an explicit empty key
  CHECK(r->only().code == DiagCode::NonStringKey);
}
