// Tests of rendering (FORMATS.md §5.2, §5.3, §6.2, §7.1): typing of rendered values, maps and lists
// with omitted values and templated keys, forEach instances, ork's labels and owner references.
#include <catch2/catch.hpp>

#include "backend/plan/render.h"

using namespace ork;
using namespace ork::plan;
using nlohmann::json;

namespace {

std::shared_ptr<const tmpl::Template> parsed(const std::string& text, std::vector<std::string> roots = {}) {
  tmpl::ParseResult r = tmpl::parse(text, tmpl::ParseOptions{std::move(roots), {}});
  REQUIRE(r.ok());
  return r.tmpl;
}

TValue tv(const std::string& text, ValueType type = ValueType::String, const std::string& field = "f",
          bool required = false) {
  return TValue::templ(parsed(text), type, SourceRef{"katalog.yaml:31:20", field, {}}, required);
}

json cr() {
  return json::parse(R"({"apiVersion": "acme.io/v1", "kind": "WebApp",
    "metadata": {"name": "web", "namespace": "shop", "uid": "7d1c-uid"},
    "spec": {"replicas": 3, "count": "three", "image": "nginx", "size": "1Gi", "flag": "TRUE", "empty": "",
             "shards": [{"name": "a"}, {"name": "b"}], "zones": {"west": 2, "east": 1}, "none": []}})");
}

json data() { return templateData(cr()); }

Rendered<json> renderWith(const TValue& v, const json& d) {
  tmpl::EvalContext ctx;
  ctx.data = &d;
  return renderValue(v, ctx);
}

}  // namespace

TEST_CASE("convertScalar: integers trim and reject fractions and words") {
  CHECK(convertScalar(json("3"), ValueType::Integer) == json(3));
  CHECK(convertScalar(json(3), ValueType::Integer) == json(3));
  CHECK(convertScalar(json(" 3 "), ValueType::Integer) == json(3));
  CHECK(convertScalar(json("-7"), ValueType::Integer) == json(-7));
  CHECK_FALSE(convertScalar(json("3.5"), ValueType::Integer));
  CHECK_FALSE(convertScalar(json("three"), ValueType::Integer));
  CHECK_FALSE(convertScalar(json("99999999999999999999"), ValueType::Integer));
  CHECK_FALSE(convertScalar(json(true), ValueType::Integer));
  CHECK(convertScalar(json(3.0), ValueType::Integer) == json(3));
  CHECK_FALSE(convertScalar(json(3.5), ValueType::Integer));
}

TEST_CASE("convertScalar: booleans in any case, numbers, int-or-string, quantities") {
  CHECK(convertScalar(json("TRUE"), ValueType::Boolean) == json(true));
  CHECK(convertScalar(json(" False "), ValueType::Boolean) == json(false));
  CHECK(convertScalar(json(false), ValueType::Boolean) == json(false));
  CHECK_FALSE(convertScalar(json("yes"), ValueType::Boolean));
  CHECK_FALSE(convertScalar(json("1"), ValueType::Boolean));

  CHECK(convertScalar(json("1.5"), ValueType::Number) == json(1.5));
  CHECK(convertScalar(json("42"), ValueType::Number) == json(42));
  CHECK(convertScalar(json("1e3"), ValueType::Number) == json(1000.0));
  CHECK(convertScalar(json(2.5), ValueType::Number) == json(2.5));
  CHECK_FALSE(convertScalar(json("inf"), ValueType::Number));
  CHECK_FALSE(convertScalar(json("0x10"), ValueType::Number));
  CHECK_FALSE(convertScalar(json("fast"), ValueType::Number));

  CHECK(convertScalar(json("8080"), ValueType::IntOrString) == json(8080));
  CHECK(convertScalar(json(" 8080 "), ValueType::IntOrString) == json(8080));
  CHECK(convertScalar(json("http"), ValueType::IntOrString) == json("http"));
  CHECK(convertScalar(json("25%"), ValueType::IntOrString) == json("25%"));
  CHECK(convertScalar(json(8080), ValueType::IntOrString) == json(8080));

  CHECK(convertScalar(json(" 500m "), ValueType::Quantity) == json("500m"));
  CHECK(convertScalar(json("1Gi"), ValueType::Quantity) == json("1Gi"));
  CHECK(convertScalar(json(2), ValueType::Quantity) == json("2"));
  CHECK_FALSE(convertScalar(json("lots"), ValueType::Quantity));
  CHECK_FALSE(convertScalar(json(true), ValueType::Quantity));
}

TEST_CASE("convertScalar: strings as printed, Auto keeps non-strings and strings as they are") {
  CHECK(convertScalar(json(8080), ValueType::String) == json("8080"));
  CHECK(convertScalar(json(true), ValueType::String) == json("true"));
  CHECK(convertScalar(json(" x "), ValueType::String) == json(" x "));
  CHECK(convertScalar(json(3), ValueType::Auto) == json(3));
  CHECK(convertScalar(json(false), ValueType::Auto) == json(false));
  CHECK(convertScalar(json("3"), ValueType::Auto) == json("3"));
  CHECK(convertScalar(json::object({{"a", 1}}), ValueType::Auto) == json::object({{"a", 1}}));
  CHECK_FALSE(convertScalar(json::array({1}), ValueType::Integer));
}

TEST_CASE("renderValue: templates convert to their type") {
  CHECK(*renderWith(tv("{{ .spec.replicas }}", ValueType::Integer), data()).value == json(3));
  CHECK(*renderWith(tv(" {{ .spec.replicas }} ", ValueType::Integer), data()).value == json(3));
  CHECK(*renderWith(tv("{{ .spec.flag }}", ValueType::Boolean), data()).value == json(true));
  CHECK(*renderWith(tv("{{ .spec.size }}", ValueType::Quantity), data()).value == json("1Gi"));
  CHECK(*renderWith(tv("{{ .spec.replicas }}", ValueType::String), data()).value == json("3"));
  CHECK(*renderWith(tv("{{ .spec.image }}:1.25", ValueType::IntOrString), data()).value ==
        json("nginx:1.25"));
  CHECK(*renderWith(tv("{{ .spec.replicas }}.5", ValueType::Number), data()).value == json(3.5));
}

TEST_CASE("renderValue: Auto keeps a single action's number or boolean, text otherwise") {
  CHECK(*renderWith(tv("{{ .spec.replicas }}", ValueType::Auto), data()).value == json(3));
  CHECK(*renderWith(tv("{{ eq 1 1 }}", ValueType::Auto), data()).value == json(true));
  CHECK(*renderWith(tv("{{ .spec.replicas }}x", ValueType::Auto), data()).value == json("3x"));
  CHECK(*renderWith(tv("{{ .spec.count }}", ValueType::Auto), data()).value == json("three"));
  Rendered<json> m = renderWith(tv("{{ .spec.zones }}", ValueType::Auto), data());
  REQUIRE_FALSE(m.ok());
  CHECK(m.failure.message == "f: cannot print a map as text");
  CHECK(m.failure.help == "use toJson or toYaml");
}

TEST_CASE("renderValue: a failed conversion is ORK3301 at the template's location") {
  Rendered<json> r =
      renderWith(tv("{{ .spec.count }}", ValueType::Integer, "deployments[0].replicas"), data());
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure.message == "deployments[0].replicas: rendered \"three\" is not an integer");
  CHECK(r.failure.location == "katalog.yaml:31:20");
  REQUIRE(r.failure.code);
  CHECK(*r.failure.code == DiagCode::ValueConversion);

  CHECK(renderWith(tv("{{ .spec.count }}", ValueType::Boolean, "x"), data()).failure.message ==
        "x: rendered \"three\" is not a boolean");
  CHECK(renderWith(tv("{{ .spec.count }}", ValueType::Number, "x"), data()).failure.message ==
        "x: rendered \"three\" is not a number");
  CHECK(renderWith(tv(" {{ .spec.count }} ", ValueType::Quantity, "x"), data()).failure.message ==
        "x: rendered \"three\" is not a quantity");
}

TEST_CASE("renderValue: template errors keep the template's location and carry no code") {
  Rendered<json> r =
      renderWith(tv("{{ .spec.image.tag }}", ValueType::String, "deployments[0].image"), data());
  REQUIRE_FALSE(r.ok());
  CHECK(r.failure.message == "deployments[0].image: can't evaluate field tag in type string");
  CHECK(r.failure.location == "katalog.yaml:31:20");
  CHECK_FALSE(r.failure.code);
}

TEST_CASE("renderValue: empty optional values disappear from maps and lists; required ones fail") {
  TValue m = TValue::mapValue();
  m.set("keep", tv("{{ .spec.image }}"));
  m.set("gone", tv("{{ .spec.missing }}", ValueType::Integer));
  m.set("blank", tv("  {{ .spec.empty }} "));
  m.set("lit", TValue::lit(5));
  TValue l = TValue::listValue();
  l.list.push_back(tv("{{ .spec.empty }}"));
  l.list.push_back(tv("a"));
  l.list.push_back(TValue::lit("b"));
  m.set("list", std::move(l));
  Rendered<json> r = renderWith(m, data());
  REQUIRE(r.ok());
  CHECK(r.value->dump() == R"({"keep":"nginx","list":["a","b"],"lit":5})");

  Rendered<json> req =
      renderWith(tv("{{ .spec.missing }}", ValueType::String, "deployments[0].name", true), data());
  REQUIRE_FALSE(req.ok());
  CHECK(req.failure.message == "deployments[0].name: rendered value is empty");
  CHECK(req.failure.location == "katalog.yaml:31:20");

  CHECK(renderWith(tv("{{ .spec.missing }}"), data()).value->is_null());  // omitted at the top
}

TEST_CASE("renderValue: templated map keys are rendered; an empty key drops its item") {
  TValue m = TValue::mapValue();
  m.map.push_back(TMapItem{"{{ .spec.image }}-key", parsed("{{ .spec.image }}-key"), tv("v")});
  m.map.push_back(TMapItem{"{{ .spec.empty }}", parsed("{{ .spec.empty }}"), tv("dropped")});
  m.map.push_back(TMapItem{"plain", nullptr, TValue::lit(1)});
  Rendered<json> r = renderWith(m, data());
  REQUIRE(r.ok());
  CHECK(r.value->dump() == R"({"nginx-key":"v","plain":1})");
}

TEST_CASE("lookupPath and templateData") {
  json d = data();
  CHECK(*lookupPath(d, {"spec", "replicas"}) == json(3));
  CHECK(*lookupPath(d, {"spec", "shards", "1", "name"}) == json("b"));
  CHECK(lookupPath(d, {"spec", "nothing"}) == nullptr);
  CHECK(lookupPath(d, {"spec", "image", "deeper"}) == nullptr);
  CHECK(lookupPath(d, {"spec", "shards", "7"}) == nullptr);
  json t = templateData(json::parse(R"({"metadata": {"name": "x"}})"));
  CHECK(t.dump() == R"({"children":{},"metadata":{"name":"x"},"spec":{},"status":{}})");
  json c = templateData(cr(), json{{"deployment", {{"a", 1}}}});
  CHECK(c["children"]["deployment"]["a"] == 1);
  CHECK_FALSE(c.contains("apiVersion"));
}

TEST_CASE("ownerLabelValue: names over 63 characters are hashed") {
  CHECK(ownerLabelValue("web") == "web");
  std::string n63(63, 'a');
  CHECK(ownerLabelValue(n63) == n63);
  std::string n64(64, 'a');
  std::string v = ownerLabelValue(n64);
  CHECK(v.size() == 63);
  CHECK(v.substr(0, 55) == std::string(54, 'a') + "-");
  // sha256("a" × 64) = ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb
  CHECK(v.substr(55) == "ffe054fe");
}
