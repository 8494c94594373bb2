// `ork template`'s rendering mode (FORMATS.md §13, §16): the example CRs of every lowered operator,
// completed like an API server would, rendered with plan::renderEntries on a fixed clock and seeded
// random source, printed as a YAML stream with `# Source:` lines or as a JSON List.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend/plan/model.h"
#include "frontend/loader.h"
#include "ir/module.h"

namespace ork::cli {

/// The instant `ork template` renders at: 2025-01-01T00:00:00Z (`now`, time conditions,
/// creationTimestamp of completed CRs).
inline constexpr int64_t kTemplateClock = 1735689600;

/// What to render and how to print it.
struct RenderRequest {
  std::vector<std::string> crFiles;  // --cr: when set, the only source of example CRs
  std::string crd;                   // --crd: one operator ("" = every operator)
  bool json = false;                 // -o json: a v1 List instead of a YAML stream
};

/// One example CR of an operator: the completed object and where it was read.
struct ExampleCr {
  nlohmann::json object;
  const ir::CrDocument* doc = nullptr;
};

/// Completes an example CR as the API server would for `ork template`: metadata.namespace `default`
/// for a namespaced kind without one (removed for a cluster-scoped kind), a deterministic
/// metadata.uid (a UUID made from sha256 of `<group>/<kind>/<namespace>/<name>`), generation 1 and
/// creationTimestamp at kTemplateClock when absent.
nlohmann::json completeCr(nlohmann::json cr, const plan::Gvk& gvk, bool namespaced);

/// The deterministic uid of completeCr: sha256 of `<group>/<kind>/<namespace>/<name>`, its first 16
/// bytes as an RFC 9562 version-8 UUID.
std::string deterministicUid(const plan::Gvk& gvk, const std::string& ns, const std::string& name);

/// A YAML value (ir::Node) as JSON: scalars by their resolved type, maps in document order.
nlohmann::json nodeToJson(const ir::Node& n);

/// Renders every operator of `plans` (or the one `request.crd` names; UnknownCrdName with a
/// did-you-mean otherwise) for its example CRs and returns the output text. Example CRs come from
/// the --cr files, else the composed CRD's crFiles (already loaded into `module.crs`), else the
/// cr.yaml beside the document defining the CRD; an operator without one gets NoExampleCr. Render
/// failures are RenderFailed (or the failure's own code, ORK3301) at the template (typed operators
/// are rendered like others; validation already warns about them, ORK1113). Output is only
/// meaningful when no error was reported.
std::string renderTemplates(const ir::Module& module, const std::vector<plan::CrdPlan>& plans,
                            const RenderRequest& request, frontend::LoadContext& ctx);

}  // namespace ork::cli
