// Tests of the template parser (FORMATS.md §7.1): structure, trim markers, comments, literals, and
// every parse error with its code, message and offset.
#include <catch2/catch.hpp>

#include "support/template.h"

using namespace ork;
using namespace ork::tmpl;

namespace {

std::shared_ptr<const Template> ok(std::string_view text, const ParseOptions& options = {}) {
  ParseResult r = parse(text, options);
  INFO(text << (r.errors.empty() ? "" : " → " + r.errors[0].message));
  REQUIRE(r.ok());
  return r.tmpl;
}

ParseError firstError(std::string_view text, const ParseOptions& options = {}) {
  ParseResult r = parse(text, options);
  INFO(text);
  REQUIRE(!r.errors.empty());
  CHECK(r.tmpl == nullptr);
  return r.errors.front();
}

}  // namespace

TEST_CASE("text and actions become parts with offsets") {
  auto t = ok("name-{{ .metadata.name }}-x");
  REQUIRE(t->parts.size() == 3);
  CHECK(t->parts[0].kind == PartKind::Text);
  CHECK(t->parts[0].text == "name-");
  CHECK(t->parts[1].kind == PartKind::Emit);
  CHECK(t->parts[1].offset == 5);
  const Operand& op = t->parts[1].pipe.commands[0].operands[0];
  CHECK(op.kind == OperandKind::Field);
  CHECK(op.from == ".");
  CHECK(op.path == std::vector<std::string>{"metadata", "name"});
  CHECK(op.offset == 8);
  CHECK(t->parts[2].text == "-x");
  CHECK_FALSE(t->isSingleAction());
  CHECK(ok("{{ .spec.replicas }}")->isSingleAction());
  CHECK(ok("plain text")->parts.size() == 1);
  CHECK(ok("")->parts.empty());
}

TEST_CASE("trim markers remove white space next to the action; comments vanish") {
  auto t = ok("a  \n {{- .spec.x -}} \n b");
  REQUIRE(t->parts.size() == 3);
  CHECK(t->parts[0].text == "a");
  CHECK(t->parts[2].text == "b");
  auto c = ok("x {{- /* note */ -}} y{{/* z */}}!");
  REQUIRE(c->parts.size() == 1);
  CHECK(c->parts[0].text == "xy!");
  // `{{-3}}` is the number -3, not a trim marker (Go's rule: the dash needs a space after it).
  auto n = ok("{{-3}}");
  CHECK(n->parts[0].pipe.commands[0].operands[0].lit == -3);
}

TEST_CASE("pipelines, parentheses, variables and literals") {
  auto t = ok(R"({{ $x := .spec.a | default "b" }}{{ (index .spec.list 0).name }}{{ $x }}{{ $.spec.y }})");
  REQUIRE(t->parts.size() == 4);
  CHECK(t->parts[0].kind == PartKind::Set);
  CHECK(t->parts[0].pipe.vars == std::vector<std::string>{"$x"});
  CHECK(t->parts[0].pipe.decl);
  REQUIRE(t->parts[0].pipe.commands.size() == 2);
  CHECK(t->parts[0].pipe.commands[1].operands[0].fn == "default");
  CHECK(t->parts[0].pipe.commands[1].operands[1].lit == "b");
  const Operand& paren = t->parts[1].pipe.commands[0].operands[0];
  CHECK(paren.kind == OperandKind::Pipe);
  CHECK(paren.path == std::vector<std::string>{"name"});
  CHECK(t->parts[2].pipe.commands[0].operands[0].from == "$x");
  CHECK(t->parts[3].pipe.commands[0].operands[0].from == "$");

  auto lits = ok(R"({{ list "a\tb\u00e9\x41\101" `raw\n` 42 -7 0x1f 1.5 2e3 true false nil 'a' }})");
  const auto& ops = lits->parts[0].pipe.commands[0].operands;
  REQUIRE(ops.size() == 12);
  CHECK(ops[1].lit ==
        "a\tb\xc3\xa9"
        "AA");
  CHECK(ops[2].lit == "raw\\n");
  CHECK(ops[3].lit == 42);
  CHECK(ops[4].lit == -7);
  CHECK(ops[5].lit == 31);
  CHECK(ops[6].lit == 1.5);
  CHECK(ops[7].lit.is_number_float());
  CHECK(ops[8].lit == true);
  CHECK(ops[9].lit == false);
  CHECK(ops[10].lit.is_null());
  CHECK(ops[11].lit == 97);
}

TEST_CASE("control structures nest with else if and else") {
  auto t =
      ok("{{ if .spec.a }}A{{ else if .spec.b }}B{{ else }}C{{ end }}"
         "{{ range $i, $v := .spec.items }}{{ $i }}={{ .name }}{{ else }}none{{ end }}"
         "{{ with .spec.c }}{{ . }}{{ else }}-{{ end }}");
  REQUIRE(t->parts.size() == 3);
  CHECK(t->parts[0].kind == PartKind::If);
  CHECK(t->parts[0].branches.size() == 2);
  CHECK(t->parts[0].elseBody.size() == 1);
  CHECK(t->parts[1].kind == PartKind::Range);
  CHECK(t->parts[1].pipe.vars == std::vector<std::string>{"$i", "$v"});
  CHECK(t->parts[1].elseBody[0].text == "none");
  CHECK(t->parts[2].kind == PartKind::With);
}

TEST_CASE("inside range and with the dot is rebound, so fields are not roots") {
  ok("{{ range .spec.items }}{{ .name }}{{ end }}");
  ok("{{ with .spec.db }}{{ .host }}{{ end }}");
  ParseError e = firstError("{{ range .spec.items }}{{ end }}{{ .name }}");
  CHECK(e.code == DiagCode::TemplateUnknownRoot);
  CHECK(e.offset == 35);
}

TEST_CASE("unknown data roots are errors; capitalised ones get the hints of §7.1") {
  struct Case {
    const char* text;
    const char* message;
  };
  Case cases[] = {
      {"{{ .Name }}", "unknown data root '.Name' (did you mean '.metadata.name'?)"},
      {"{{ .Namespace }}", "unknown data root '.Namespace' (did you mean '.metadata.namespace'?)"},
      {"{{ .Labels.app }}", "unknown data root '.Labels' (did you mean '.metadata.labels'?)"},
      {"{{ .Spec.Image }}", "unknown data root '.Spec.Image' (did you mean '.spec.image'?)"},
      {"{{ .Status.Ready }}", "unknown data root '.Status.Ready' (did you mean '.status.ready'?)"},
      {"{{ .sepc.image }}", "unknown data root '.sepc' (did you mean '.spec'?)"},
      {"{{ .Values.x }}", "unknown data root '.Values' (did you mean '.value'?)"},
      {"{{ $.foo }}", "unknown data root '$.foo'"},
  };
  for (const Case& c : cases) {
    ParseError e = firstError(c.text);
    CHECK(e.code == DiagCode::TemplateUnknownRoot);
    CHECK(e.message == c.message);
    CHECK(e.offset == 3);
    CHECK(e.help == "data roots are .metadata, .spec, .status, .children, .inputs, .item, .value");
  }
  ParseError cross = firstError("{{ .cross.database.status.endpoint }}");
  CHECK(cross.message == "unknown data root '.cross'");
  CHECK(cross.help ==
        "operatorBox.observe (formerly cross) is not supported by ork, so templates cannot read it; "
        "data roots are .metadata, .spec, .status, .children, .inputs, .item, .value");
  ParseOptions withAlias;
  withAlias.extraRoots = {"shard"};
  ok("{{ .shard.name }}", withAlias);
}

TEST_CASE("unknown functions get a did-you-mean at the name; notes are extra functions") {
  ParseError e = firstError("{{ .spec.image | uper }}");
  CHECK(e.code == DiagCode::TemplateUnknownFunction);
  CHECK(e.message == "unknown function 'uper' (did you mean 'upper'?)");
  CHECK(e.offset == 17);
  CHECK(e.length == 4);
  // Helm's `get` is not in the catalog; the hint points to `index` rather than to `ge`.
  ParseError get = firstError("{{ get .children.statefulset \"status\" }}");
  CHECK(get.message == "unknown function 'get'");
  CHECK(get.help ==
        "use index to read nested keys: index .children.statefulset \"status\" \"readyReplicas\"");
  ParseOptions notes;
  notes.extraFunctions = {"isProd"};
  ok("{{ if isProd }}x{{ end }}", notes);
  CHECK(firstError("{{ isProb }}", notes).message == "unknown function 'isProb' (did you mean 'isProd'?)");
  // Several independent errors are all reported.
  CHECK(parse("{{ uper .Name }}").errors.size() == 2);
}

TEST_CASE("variables must be declared before use, in scope") {
  ParseError e = firstError("{{ $y }}");
  CHECK(e.code == DiagCode::TemplateUndefinedVariable);
  CHECK(e.message == "undefined variable \"$y\"");
  CHECK(e.offset == 3);
  CHECK(firstError("{{ $x = 1 }}").code == DiagCode::TemplateUndefinedVariable);
  ok("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}");
  CHECK(firstError("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}").offset == 38);
  ok("{{ range $k, $v := .spec.m }}{{ $k }}{{ $v }}{{ end }}");
}

TEST_CASE("define, template, block, break and continue are not supported") {
  for (const char* w : {"define", "template", "block", "break", "continue"}) {
    std::string text = std::string("{{ ") + w + " \"x\" }}";
    ParseError e = firstError(text);
    CHECK(e.code == DiagCode::TemplateUnsupportedAction);
    CHECK(e.message == std::string("'") + w + "' is not supported in ork templates");
    CHECK(e.offset == 3);
  }
}

TEST_CASE("syntax errors have messages and offsets") {
  struct Case {
    const char* text;
    const char* message;
    uint32_t offset;
  };
  Case cases[] = {
      {"a {{ .spec.x", "unclosed action: missing '}}'", 2},
      {"{{ }}", "missing value for command", 3},
      {"{{ if .spec.x }}yes", "unexpected end of template: missing {{end}} for 'if'", 3},
      {"{{ range .spec.x }}", "unexpected end of template: missing {{end}} for 'range'", 3},
      {"{{ end }}", "unexpected {{end}}", 3},
      {"{{ else }}", "unexpected {{else}}", 3},
      {"{{ \"abc }}", "unterminated quoted string", 3},
      {"{{ `abc }}", "unterminated raw string", 3},
      {"{{ \"a\\q\" }}", "invalid escape sequence in string", 5},
      {"{{ (upper .spec.x }}", "unclosed left parenthesis", 3},
      {"{{ .spec.x | .spec.y }}", "a value cannot receive a piped value: only a function can follow '|'", 13},
      {"{{ .spec.x 1 }}", "cannot give an argument to a value that is not a function", 11},
      {"{{ 1x }}", "bad number syntax: 1x", 3},
      {"{{ .spec.x ; }}", "unexpected character ';' in action", 11},
      {"{{ if }}{{ end }}", "missing value for if", 6},
      {"{{/* open", "unclosed comment", 0},
      {"{{ .spec.x | }}", "missing value for command", 13},
      {"{{ if .spec.a }}{{ else }}{{ else }}{{ end }}", "unexpected {{else}} after {{else}}", 29},
  };
  for (const Case& c : cases) {
    ParseError e = firstError(c.text);
    INFO(c.text);
    CHECK(e.code == DiagCode::TemplateSyntax);
    CHECK(e.message == c.message);
    CHECK(e.offset == c.offset);
  }
}

TEST_CASE("nesting is bounded; long flat templates are not") {
  std::string deep = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
  ParseError e = firstError(deep);
  CHECK(e.code == DiagCode::TemplateSyntax);
  CHECK(e.message == "template nests too deeply (limit 1000)");
  std::string ifs;
  for (int i = 0; i < 1500; ++i) ifs += "{{ if .spec.a }}x{{ end }}";
  ok(ifs);
  std::string nested;
  for (int i = 0; i < 900; ++i) nested += "{{ if .spec.a }}";
  for (int i = 0; i < 900; ++i) nested += "{{ end }}";
  ok(nested);
}
