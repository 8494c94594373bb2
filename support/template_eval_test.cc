// Tests of template evaluation (FORMATS.md §7.2): output rules, truthiness, control structures,
// variables, the built-ins and their Go semantics, render errors with offsets, typed values.
#include <catch2/catch.hpp>

#include "support/template.h"
#include "support/testing/template_helpers.h"

using namespace ork::tmpl;
using namespace ork::tmpl::testing;
using nlohmann::json;

TEST_CASE("fields render; missing keys render empty, never <no value>") {
  CHECK(run("{{ .metadata.name }}-{{ .spec.image }}") == "web-nginx:1.25");
  CHECK(run("[{{ .spec.missing }}][{{ .spec.missing.deeper }}][{{ .status.nothing }}]") == "[][][]");
  CHECK(run("{{ .spec.image.tag }}") == "ERROR: can't evaluate field tag in type string");
  CHECK(run("{{ $.spec.replicas }}") == "3");
}

TEST_CASE("output: integers in decimal, floats shortest (Go %v), booleans; maps and lists are errors") {
  CHECK(run("{{ .spec.replicas }} {{ .spec.ratio }} {{ .spec.enabled }} {{ .spec.zero }}") == "3 0.5 true 0");
  CHECK(run("{{ .spec.big }}") == "1e+06");
  CHECK(run("{{ 100000.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1.25e+300 }} {{ -2.5 }} {{ 3.0 }}") ==
        "100000 0.0001 1e-05 1.25e+300 -2.5 3");
  CHECK(run("{{ .spec.map }}") == "ERROR: cannot print a map as text (use toJson or toYaml)");
  CHECK(run("{{ .spec.items }}") == "ERROR: cannot print a list as text (use toJson or toYaml)");
  CHECK(run("{{ 0.1 }} {{ 123456.5 }} {{ 1234567.0 }}") == "0.1 123456.5 1.234567e+06");
}

TEST_CASE("truthiness is Go's") {
  CHECK(run("{{ if .spec.zero }}T{{ else }}F{{ end }}") == "F");
  CHECK(run("{{ if .spec.empty }}T{{ else }}F{{ end }}") == "F");
  CHECK(run("{{ if .spec.emptyList }}T{{ else }}F{{ end }}") == "F");
  CHECK(run("{{ if .spec.emptyMap }}T{{ else }}F{{ end }}") == "F");
  CHECK(run("{{ if .spec.missing }}T{{ else }}F{{ end }}") == "F");
  CHECK(run("{{ if .spec.ratio }}T{{ else }}F{{ end }}") == "T");
  CHECK(run("{{ if .spec.items }}T{{ else }}F{{ end }}") == "T");
  CHECK(run("{{ if \"0\" }}T{{ else }}F{{ end }}") == "T");
  CHECK(truthy(json(false)) == false);
}

TEST_CASE("if / else if / else, with, range over lists and maps in sorted key order") {
  CHECK(run("{{ if .spec.missing }}a{{ else if .spec.replicas }}b{{ else }}c{{ end }}") == "b");
  CHECK(run("{{ with .spec.image }}[{{ . }}]{{ else }}none{{ end }}") == "[nginx:1.25]");
  CHECK(run("{{ with .spec.missing }}[{{ . }}]{{ else }}none{{ .metadata.name }}{{ end }}") == "noneweb");
  CHECK(run("{{ range .spec.items }}{{ . }},{{ end }}") == "a,b,c,");
  CHECK(run("{{ range $i, $v := .spec.items }}{{ $i }}={{ $v }} {{ end }}") == "0=a 1=b 2=c ");
  CHECK(run("{{ range $k, $v := .spec.map }}{{ $k }}={{ $v }} {{ end }}") == "a=1 b=2 c=3 ");
  CHECK(run("{{ range $v := .spec.map }}{{ $v }}{{ end }}") == "123");
  CHECK(run("{{ range .spec.emptyList }}x{{ else }}empty{{ end }}") == "empty");
  CHECK(run("{{ range .spec.missing }}x{{ else }}none{{ end }}") == "none");
  CHECK(run("{{ range .spec.nested.list }}{{ .name }}{{ $.metadata.name }}{{ end }}") == "xweb");
  CHECK(run("{{ range .spec.image }}x{{ end }}") == "ERROR: range can't iterate over string");
}

TEST_CASE("variables: declare, assign, scope") {
  CHECK(run("{{ $x := .spec.replicas }}{{ $x }}{{ $x = 5 }}{{ $x }}") == "35");
  CHECK(run("{{ $n := 0 }}{{ range .spec.items }}{{ $n = add $n 1 }}{{ end }}{{ $n }}") == "3");
  CHECK(run("{{ $x := 1 }}{{ if true }}{{ $x := 2 }}{{ $x }}{{ end }}{{ $x }}") == "21");
}

TEST_CASE("trim markers and comments in output") {
  CHECK(run("a  {{- .metadata.name -}}  b") == "awebb");
  CHECK(run("x{{/* gone */}}y") == "xy");
}

TEST_CASE("and / or short-circuit and return the deciding value; not") {
  CHECK(run("{{ and .spec.replicas .spec.image }}") == "nginx:1.25");
  CHECK(run("{{ and .spec.zero .spec.image }}") == "0");
  CHECK(run("{{ or .spec.empty .spec.zero .spec.image }}") == "nginx:1.25");
  CHECK(run("{{ or .spec.empty .spec.zero }}") == "0");
  // short-circuit: the failing operand after the deciding one is never evaluated
  CHECK(run("{{ or .spec.image .spec.image.tag }}") == "nginx:1.25");
  CHECK(run("{{ and .spec.zero .spec.image.tag }}") == "0");
  CHECK(run("{{ .spec.image | and true }}") == "nginx:1.25");
  CHECK(run("{{ not .spec.empty }} {{ not .spec.image }}") == "true false");
}

TEST_CASE("eq / ne / lt / le / gt / ge: numbers compare numerically, strings with numbers are an error") {
  CHECK(run("{{ eq .spec.replicas 3 }} {{ eq .spec.replicas 3.0 }} {{ eq 1 2 3 1 }} {{ eq \"a\" \"b\" }}") ==
        "true true true false");
  CHECK(run("{{ eq .spec.count 7 }}") == "ERROR: incompatible types for comparison");
  CHECK(run("{{ lt .spec.count 7 }}") == "ERROR: incompatible types for comparison");
  CHECK(run("{{ eq .spec.missing \"x\" }} {{ eq .spec.missing nil }}") == "false true");
  CHECK(run("{{ ne .spec.image \"x\" }} {{ ne 2 2.0 }}") == "true false");
  CHECK(run("{{ lt 1 2 }} {{ le 2 2 }} {{ gt 2.5 2 }} {{ ge \"b\" \"a\" }} {{ lt \"b\" \"a\" }}") ==
        "true true true true false");
  CHECK(run("{{ eq true true }} {{ eq .spec.enabled false }}") == "true false");
  CHECK(run("{{ lt .spec.missing 1 }}") == "true");  // nil is the other side's zero value
  CHECK(run("{{ eq .spec.map .spec.map }}") == "ERROR: non-comparable type: map");
  CHECK(run("{{ eq 1 }}") == "ERROR: wrong number of arguments for eq: want at least 2, got 1");
}

TEST_CASE("len, index (nested, nil-safe), print, printf") {
  CHECK(run("{{ len .spec.items }} {{ len .spec.map }} {{ len .spec.image }} {{ len .spec.missing }}") ==
        "3 3 10 0");
  CHECK(run("{{ len 3 }}") == "ERROR: len of type int");
  CHECK(run("{{ index (index .spec.steps 0) \"command\" }}") == "run");
  CHECK(run("{{ index .children.statefulset \"status\" \"readyReplicas\" }}") == "2");
  CHECK(run("{{ index .spec.items 1 }} [{{ index .spec.map \"zz\" }}] [{{ index .spec.missing \"a\" }}]") ==
        "b [] []");
  CHECK(run("{{ index .spec.items 5 }}") == "ERROR: index out of range: 5");
  CHECK(run("{{ (index .spec.steps 0).command }}") == "run");
  CHECK(run("{{ print 1 2 \"a\" \"b\" 3 }}") == "1 2ab3");
  CHECK(run("{{ printf \"%s-%d-%v-%q-%t-%x-%%\" \"a\" 42 1.5 \"q\" true 255 }}") ==
        "a-42-1.5-\"q\"-true-ff-%");
  CHECK(run("{{ printf \"%5s|%-4d|%05d|%.2f|%.1s\" \"ab\" 7 42 3.14159 \"xyz\" }}") ==
        "   ab|7   |00042|3.14|x");
  CHECK(run("{{ printf \"%d\" \"x\" }}") == "%!d(string=\"x\")");
  CHECK(run("{{ printf \"%s %s\" \"a\" }}") == "a %!s(MISSING)");
  CHECK(run("{{ .spec.replicas | printf \"n=%d\" }}") == "n=3");
}

TEST_CASE("delimiters inside strings, pipes into multi-argument functions") {
  CHECK(run("{{ \"}}\" }}{{ `{{` }}") == "}}{{");
  CHECK(run("{{ \"a\" | printf \"%s-%s\" \"b\" }}") == "b-a");
  CHECK(run("{{ .spec.items | len }}") == "3");
  CHECK(run("{{ $v := index .spec.items 0 }}{{ $v | upper }}") == "A");
}

TEST_CASE("notes are zero-argument functions") { CHECK(run("{{ if isProd }}prod{{ end }}") == "prod"); }

TEST_CASE("a single action keeps its value's type; anything else is text") {
  CHECK(value("{{ .spec.replicas }}") == 3);
  CHECK(value("{{ .spec.map }}") == json::parse(R"({"a":1,"b":2,"c":3})"));
  CHECK(value("{{ .spec.enabled }}") == true);
  CHECK(value("{{ .spec.missing }}").is_null());
  CHECK(value(" {{ .spec.replicas }}") == " 3");
  CHECK(value("{{ .spec.replicas }}{{ .spec.replicas }}") == "33");
  CHECK(value("plain") == "plain");
}

TEST_CASE("render errors carry the offset of the failing function") {
  ParseResult p = parse("abc {{ div 1 .spec.zero }}");
  REQUIRE(p.ok());
  EvalContext ctx;
  ctx.data = &sampleData();
  Result<std::string> r = render(*p.tmpl, ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error.message == "integer division by zero");
  CHECK(r.error.offset == 7);
  ParseResult q = parse("{{ .spec.map }}");
  Result<std::string> m = render(*q.tmpl, ctx);
  CHECK(m.error.offset == 3);
  CHECK(m.error.help == "use toJson or toYaml");
}
