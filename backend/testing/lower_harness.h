// Test helper shared by the lowering tests: write a Katalog into a temp directory, run the validate
// pipeline over it, lower the composed CRDs, and read the lowered object templates back as JSON.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend/lower.h"
#include "backend/plan/render.h"
#include "passes/pipeline.h"
#include "passes/testing.h"

namespace ork::backend::testing {

/// The Katalog header every test document starts with.
inline const char* const kKatalogHeader =
    "apiVersion: orkestra.orkspace.io/v1\n"
    "kind: Katalog\n"
    "metadata: {name: shop-operator}\n"
    "spec:\n"
    "  crds:\n";

/// One lowering run: the pipeline's module and diagnostics, and what lowerModule returned.
struct Lowered {
  passes::testing::TempDir dir;
  passes::testing::Harness h;
  std::vector<plan::CrdPlan> plans;
  size_t validateDiagnostics = 0;  // diagnostics reported before lowering

  /// Errors and warnings as `file:line:col: severity[ORKnnnn]: message`, file names relative to the
  /// temp dir, from diagnostic `from` on (notes, such as "no schema to check against", are left out).
  std::vector<std::string> rendered(size_t from = 0) const {
    std::vector<std::string> out;
    std::vector<std::string> all = h.rendered();
    const auto& diags = h.diags.diagnostics();
    for (size_t i = from; i < all.size(); ++i) {
      if (diags[i].severity == Severity::Note) continue;
      std::string s = all[i];
      std::string prefix = dir.path() + "/";
      if (s.rfind(prefix, 0) == 0) s = s.substr(prefix.size());
      out.push_back(s);
    }
    return out;
  }
  /// Errors and warnings reported by lowering only.
  std::vector<std::string> lowering() const { return rendered(validateDiagnostics); }
  const plan::CrdPlan& plan(size_t i = 0) const { return plans.at(i); }
};

/// Writes `katalog` (a whole document) to katalog.yaml, validates and lowers it.
inline std::unique_ptr<Lowered> lowerKatalog(const std::string& katalog) {
  auto l = std::make_unique<Lowered>();
  std::string path = l->dir.write("katalog.yaml", katalog);
  l->h.loadEntry(path);
  passes::runPipeline(l->h.module, l->h.ctx);
  l->validateDiagnostics = l->h.diags.diagnostics().size();
  l->plans = lowerModule(l->h.module, l->h.sm, l->h.diags);
  return l;
}

/// A Katalog with one namespaced CRD `webapp` (acme.io/v1 WebApp) whose `operatorBox.reconcile`
/// is `reconcile` (YAML indented by 8 spaces, i.e. the keys onCreate/onReconcile/onDelete).
inline std::string webappKatalog(const std::string& reconcile, const std::string& crdExtra = "") {
  return std::string(kKatalogHeader) +
         "    webapp:\n"
         "      apiTypes: {group: acme.io, version: v1, kind: WebApp, plural: webapps}\n" +
         crdExtra +
         "      operatorBox:\n"
         "        reconcile:\n" +
         reconcile;
}

/// A readable JSON form of a templated value: literals as is, templates as
/// `{"$t": "<template text>", "type": "<type>"}` (plus `"required": true`), maps with templated keys
/// as `"{{…}}"` keys.
inline nlohmann::json dump(const plan::TValue& v) {
  switch (v.kind) {
    case plan::TValue::Kind::Literal: return v.literal;
    case plan::TValue::Kind::Template: {
      nlohmann::json t{{"$t", v.tmpl ? v.tmpl->source : std::string()},
                       {"type", std::string(plan::valueTypeName(v.type))}};
      if (v.required) t["required"] = true;
      return t;
    }
    case plan::TValue::Kind::Map: {
      nlohmann::json m = nlohmann::json::object();
      for (const plan::TMapItem& i : v.map) m[i.key] = dump(i.value);
      return m;
    }
    case plan::TValue::Kind::List: {
      nlohmann::json l = nlohmann::json::array();
      for (const plan::TValue& i : v.list) l.push_back(dump(i));
      return l;
    }
  }
  return nullptr;
}

/// The objects `plan` renders for the CR `cr` (a fixed clock and seed), or the failure message.
struct RenderResult {
  std::vector<nlohmann::json> objects;
  std::string failure;
};
inline RenderResult renderFor(const plan::CrdPlan& p, const nlohmann::json& cr) {
  tmpl::FixedClock clock(1767225600);  // 2026-01-01T00:00:00Z
  tmpl::SeededRandom random(0);
  nlohmann::json data = plan::templateData(cr);
  tmpl::EvalContext ctx;
  ctx.data = &data;
  ctx.clock = &clock;
  ctx.random = &random;
  plan::Rendered<std::vector<plan::RenderedObject>> r = plan::renderEntries(p, cr, ctx);
  RenderResult out;
  if (!r.ok()) {
    out.failure = r.failure.message;
    return out;
  }
  for (plan::RenderedObject& o : *r.value) out.objects.push_back(std::move(o.object));
  return out;
}

}  // namespace ork::backend::testing
