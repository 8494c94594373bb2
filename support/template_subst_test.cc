// Tests of `.inputs.X` substitution, constant folding and template printing (support/template_subst.h).
#include "support/template_subst.h"

#include <catch2/catch.hpp>

#include "support/template.h"

namespace ork::tmpl {
namespace {

using nlohmann::json;

std::shared_ptr<const Template> parsed(const std::string& text) {
  ParseResult r = parse(text);
  REQUIRE(r.ok());
  return r.tmpl;
}

InputBinding value(json v) {
  InputBinding b;
  b.value = std::move(v);
  return b;
}

InputBinding tmplBinding(const std::string& text) {
  InputBinding b;
  b.tmpl = parsed(text);
  b.kind = b.tmpl->isSingleAction() ? InputBinding::Kind::Pipe : InputBinding::Kind::Text;
  return b;
}

SubstResult subst(const std::string& text, const InputBindings& bindings) {
  return substituteInputs(*parsed(text), bindings);
}

std::string substituted(const std::string& text, const InputBindings& bindings) {
  SubstResult r = subst(text, bindings);
  CHECK(r.issues.empty());
  REQUIRE(r.tmpl);
  // The printed form parses back to the same template.
  CHECK(formatTemplate(*parsed(r.tmpl->source)) == r.tmpl->source);
  return r.tmpl->source;
}

std::string rendered(const Template& t, const json& data) {
  EvalContext ctx;
  ctx.data = &data;
  Result<std::string> r = render(t, ctx);
  REQUIRE(r.ok());
  return *r.value;
}

TEST_CASE("a literal binding becomes a typed literal, and the template a constant") {
  InputBindings b{{"port", value(9090)}, {"host", value("")}};
  SubstResult r = subst("{{ .inputs.port }}", b);
  REQUIRE(r.tmpl);
  CHECK(r.tmpl->source == "{{ 9090 }}");
  CHECK(r.tmpl->parts[0].pipe.commands[0].operands[0].offset == 3);  // still the motif's offset
  CHECK(constantValue(*r.tmpl) == json(9090));
  CHECK(constantValue(*subst("port-{{ .inputs.port }}", b).tmpl) == json("port-9090"));
  CHECK(constantValue(*subst("{{ .inputs.port | add 1 }}", b).tmpl) == json(9091));
  CHECK(constantValue(*subst("{{ .inputs.host }}", b).tmpl) == json(""));
  CHECK(substituted("{{ $.inputs.port }}", b) == "{{ 9090 }}");
}

TEST_CASE("templates that read data, notes, the clock or randomness are not constants") {
  InputBindings b{{"port", value(9090)}};
  CHECK_FALSE(constantValue(*subst("{{ .inputs.port }}-{{ .metadata.name }}", b).tmpl));
  CHECK_FALSE(constantValue(*parsed("{{ now }}")));
  CHECK_FALSE(constantValue(*parsed("{{ randomHex 4 }}")));
  CHECK_FALSE(constantValue(*parsed("{{ div 1 0 }}")));  // a render error is left to the runtime
  CHECK(constantValue(*parsed("{{ $x := 2 }}{{ $x }}")) == json("2"));
}

TEST_CASE("a one-action binding puts its pipeline in place of the input") {
  InputBindings b{{"image", tmplBinding("{{ .spec.image }}")},
                  {"replicas", tmplBinding("{{ .spec.replicas | default 3 }}")}};
  CHECK(substituted("{{ .inputs.image }}", b) == "{{ .spec.image }}");
  CHECK(substituted("{{ .inputs.image | upper }}", b) == "{{ .spec.image | upper }}");
  CHECK(substituted("{{ .inputs.replicas }}", b) == "{{ (.spec.replicas | default 3) }}");
  CHECK(substituted("{{ .inputs.replicas | default 2 }}", b) ==
        "{{ (.spec.replicas | default 3) | default 2 }}");
  SubstResult r = subst("{{ .inputs.replicas }}", b);
  CHECK_FALSE(constantValue(*r.tmpl));
  CHECK(rendered(*r.tmpl, json{{"spec", json::object()}}) == "3");
  CHECK(rendered(*r.tmpl, json{{"spec", {{"replicas", 5}}}}) == "5");
}

TEST_CASE("a mixed-text binding is spliced into the text, or printed inside an expression") {
  InputBindings b{{"host", tmplBinding("{{ .metadata.name }}.example.com")},
                  {"pair", tmplBinding("{{ .spec.a }}{{ .spec.b }}")},
                  {"scoped", tmplBinding("{{ $n := .spec.a }}n{{ $n }}")}};
  CHECK(substituted("https://{{ .inputs.host }}/x", b) == "https://{{ .metadata.name }}.example.com/x");
  CHECK(substituted("{{ .inputs.host | upper }}", b) ==
        "{{ (print .metadata.name \".example.com\") | upper }}");
  json data{{"metadata", {{"name", "web"}}}, {"spec", {{"a", 1}, {"b", 2}}}};
  CHECK(rendered(*subst("{{ .inputs.host | upper }}", b).tmpl, data) == "WEB.EXAMPLE.COM");
  // print would put a space between two numbers: an empty string keeps them apart.
  CHECK(substituted("{{ .inputs.pair | quote }}", b) == "{{ (print .spec.a \"\" .spec.b) | quote }}");
  CHECK(rendered(*subst("{{ .inputs.pair | quote }}", b).tmpl, data) == "\"12\"");
  // A binding declaring variables is scoped, so the motif's own $n is untouched.
  CHECK(substituted("{{ $n := 5 }}{{ .inputs.scoped }}{{ $n }}", b) ==
        "{{ $n := 5 }}{{ if true }}{{ $n := .spec.a }}n{{ $n }}{{ end }}{{ $n }}");
  CHECK(rendered(*subst("{{ $n := 5 }}{{ .inputs.scoped }}{{ $n }}", b).tmpl, data) == "n15");
}

TEST_CASE("inside range and with, only $.inputs reads the inputs, and bindings read the root from $") {
  InputBindings b{{"image", tmplBinding("{{ .spec.image }}")}, {"host", tmplBinding("{{ .spec.h }}-x")}};
  CHECK(substituted("{{ with .spec }}{{ $.inputs.image }}{{ .inputs.image }}{{ end }}", b) ==
        "{{ with .spec }}{{ $.spec.image }}{{ .inputs.image }}{{ end }}");
  CHECK(substituted("{{ range .spec.xs }}{{ $.inputs.host }}{{ else }}{{ .inputs.host }}{{ end }}", b) ==
        "{{ range .spec.xs }}{{ $.spec.h }}-x{{ else }}{{ .spec.h }}-x{{ end }}");
}

TEST_CASE("fields after the input follow the replacement; .inputs alone is a dict") {
  InputBindings b{{"a", value(1)}, {"b", value("x")}, {"cfg", tmplBinding("{{ .spec.config }}")}};
  CHECK(substituted("{{ .inputs.cfg.port }}", b) == "{{ .spec.config.port }}");
  CHECK(substituted("{{ toJson .inputs }}", b) ==
        "{{ toJson (dict \"a\" 1 \"b\" \"x\" \"cfg\" .spec.config) }}");
  InputBindings literals{{"a", value(1)}, {"b", value("x")}};
  CHECK(constantValue(*subst("{{ toJson .inputs }}", literals).tmpl) == json("{\"a\":1,\"b\":\"x\"}"));
  CHECK(substituted("{{ .inputs.a.b }}", literals) == "{{ (1).b }}");
}

TEST_CASE("undeclared inputs and inexpressible bindings are issues at the input's name") {
  InputBindings b{{"image", value("nginx")}, {"cond", tmplBinding("{{ if .spec.x }}a{{ end }}")}};
  SubstResult r = subst("{{ .inputs.imge }} {{ $.inputs.other }}", b);
  CHECK_FALSE(r.tmpl);
  REQUIRE(r.issues.size() == 2);
  CHECK(r.issues[0].kind == InputIssue::Kind::Undeclared);
  CHECK(r.issues[0].name == "imge");
  CHECK(r.issues[0].offset == 11);
  CHECK(r.issues[0].length == 4);
  CHECK(r.issues[1].name == "other");
  CHECK(r.issues[1].offset == 31);
  SubstResult e = subst("{{ .inputs.cond | upper }}", b);
  REQUIRE(e.issues.size() == 1);
  CHECK(e.issues[0].kind == InputIssue::Kind::NotExpressible);
  CHECK(e.issues[0].offset == 11);
  // As a whole action it is spliced, control actions and all.
  CHECK(substituted("<{{ .inputs.cond }}>", b) == "<{{ if .spec.x }}a{{ end }}>");
}

TEST_CASE("templates without inputs are left alone; printing round-trips") {
  CHECK_FALSE(subst("{{ .spec.image }}", {}).tmpl);
  for (const char* text : {"{{ if and .spec.a (not .spec.b) }}x{{ else if .spec.c }}y{{ else }}z{{ end }}",
                           "{{ range $i, $v := .spec.xs }}{{ $i }}={{ $v }}{{ end }}",
                           "{{ with $x := .spec }}{{ $x.a }}{{ end }}", "{{ printf \"%d\\n\" 3 | quote }}",
                           "{{ 1.5 }} {{ nil }} {{ true }}"})
    CHECK(formatTemplate(*parsed(text)) == text);
}

}  // namespace
}  // namespace ork::tmpl
