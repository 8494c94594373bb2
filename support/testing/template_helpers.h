// Test helpers for the template tests: parse-and-render with a fixed clock and seeded randomness.
#pragma once
#include <catch2/catch.hpp>

#include "support/template.h"

namespace ork::tmpl::testing {

inline const nlohmann::json& sampleData() {
  static const nlohmann::json data = nlohmann::json::parse(R"({
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web", "tier": "front"}},
    "spec": {"image": "nginx:1.25", "replicas": 3, "ratio": 0.5, "big": 1000000.0, "enabled": true,
             "empty": "", "zero": 0, "items": ["a", "b", "c"], "map": {"b": 2, "a": 1, "c": 3},
             "steps": [{"command": "run"}], "nested": {"list": [{"name": "x"}]}, "text": "Hello World",
             "count": "7", "emptyList": [], "emptyMap": {}},
    "children": {"statefulset": {"status": {"readyReplicas": 2}}}
  })");
  return data;
}

/// 2026-11-20T10:30:00Z, a Friday.
constexpr int64_t kFriday1030 = 1795170600;

/// Renders `text` over `data`; FAILs the test on a parse error. Returns the text or "ERROR: message".
inline std::string run(std::string_view text, const nlohmann::json& data = sampleData(),
                       int64_t now = kFriday1030) {
  ParseOptions options;
  options.extraFunctions = {"isProd"};
  ParseResult p = parse(text, options);
  INFO(text << (p.errors.empty() ? "" : " → " + p.errors[0].message));
  REQUIRE(p.ok());
  FixedClock clock(now);
  SeededRandom random(42);
  EvalContext ctx;
  ctx.data = &data;
  ctx.clock = &clock;
  ctx.random = &random;
  ctx.note = [](const std::string& name) {
    Result<nlohmann::json> r;
    r.value = nlohmann::json(name == "isProd");
    return r;
  };
  Result<std::string> r = render(*p.tmpl, ctx);
  if (!r.ok()) return "ERROR: " + r.error.message + (r.error.help.empty() ? "" : " (" + r.error.help + ")");
  return *r.value;
}

/// Evaluates `text` to a value (a single action keeps its type).
inline nlohmann::json value(std::string_view text, const nlohmann::json& data = sampleData()) {
  ParseResult p = parse(text);
  INFO(text);
  REQUIRE(p.ok());
  FixedClock clock(kFriday1030);
  EvalContext ctx;
  ctx.data = &data;
  ctx.clock = &clock;
  Result<nlohmann::json> r = evaluateValue(*p.tmpl, ctx);
  if (!r.ok()) return nlohmann::json("ERROR: " + r.error.message);
  return *r.value;
}

}  // namespace ork::tmpl::testing
