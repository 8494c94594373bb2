// Tests of the template rewrites used by lowering: base64 of a whole template's output (Secret
// data), a text when a template renders true (headless), a profile table lookup.
#include <catch2/catch.hpp>

#include "backend/template_rewrite.h"
#include "support/template.h"

using namespace ork;
using nlohmann::json;

namespace {

const json kData = json::parse(R"({"metadata": {"name": "web"},
  "spec": {"user": "admin", "port": 5432, "on": true, "flag": "True ", "list": ["a", "b"], "size": " medium"}})");

std::shared_ptr<const tmpl::Template> parsed(const std::string& text) {
  tmpl::ParseResult r = tmpl::parse(text);
  REQUIRE(r.ok());
  return r.tmpl;
}

std::string render(const std::shared_ptr<const tmpl::Template>& t) {
  tmpl::EvalContext ctx;
  ctx.data = &kData;
  tmpl::Result<std::string> r = tmpl::render(*t, ctx);
  return r.ok() ? *r.value : "ERROR: " + r.error.message;
}

std::string b64(const std::string& text) { return render(backend::base64Of(*parsed(text))); }

}  // namespace

TEST_CASE("base64Of encodes everything the template renders, text, actions and blocks") {
  CHECK(b64("{{ .spec.user }}") == "YWRtaW4=");                               // admin
  CHECK(b64("{{ .spec.user }}:{{ .spec.port }}") == "YWRtaW46NTQzMg==");      // admin:5432
  CHECK(b64("pre-{{ if .spec.on }}on{{ else }}off{{ end }}") == "cHJlLW9u");  // pre-on
  CHECK(b64("{{ range .spec.list }}[{{ . }}]{{ end }}") == "W2FdW2Jd");       // [a][b]
  CHECK(b64("{{ $x := .spec.user }}{{ with .metadata }}{{ .name }}-{{ $x }}{{ end }}") ==
        "d2ViLWFkbWlu");  // web-admin
  CHECK(b64("{{ .spec.missing }}") == "");
  // The source text (for messages) and the offsets of failing operands are kept.
  auto t = backend::base64Of(*parsed("ab{{ .spec.list }}"));
  CHECK(t->source == "ab{{ .spec.list }}");
  tmpl::EvalContext ctx;
  ctx.data = &kData;
  tmpl::Result<std::string> r = tmpl::render(*t, ctx);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error.message == "cannot print a list as text");
  CHECK(r.error.help == "use toJson or toYaml");
}

TEST_CASE("textWhenTrue renders the text only when the template renders true") {
  CHECK(render(backend::textWhenTrue(*parsed("{{ .spec.on }}"), "None")) == "None");
  CHECK(render(backend::textWhenTrue(*parsed("{{ .spec.flag }}"), "None")) == "None");
  CHECK(render(backend::textWhenTrue(*parsed("{{ .spec.missing }}"), "None")) == "");
  CHECK(render(backend::textWhenTrue(*parsed("{{ not .spec.on }}"), "None")) == "");
}

TEST_CASE("selectByText looks the rendered text up in a table") {
  std::vector<std::pair<std::string, std::string>> table{{"small", "2"}, {"medium", "4"}};
  CHECK(render(backend::selectByText(*parsed("{{ .spec.size }}"), table)) == "4");
  CHECK(render(backend::selectByText(*parsed("small"), table)) == "2");
  CHECK(render(backend::selectByText(*parsed("{{ .spec.user }}"), table)) == "");
}

TEST_CASE("firstCallOf finds a function anywhere in a template") {
  std::vector<std::string> fns{"randomHex", "randomAlphanumeric"};
  CHECK(backend::firstCallOf(*parsed("{{ randomHex 8 }}"), fns) == "randomHex");
  CHECK(backend::firstCallOf(*parsed("{{ if .spec.on }}{{ upper (randomAlphanumeric 4) }}{{ end }}"), fns) ==
        "randomAlphanumeric");
  CHECK(backend::firstCallOf(*parsed("{{ .spec.user | upper }}"), fns).empty());
}
