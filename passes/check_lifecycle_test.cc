// Tests of the check-lifecycle pass (FORMATS.md §2, §9.4) and the allowedRegistries rule (§9.5).
#include "passes/check_lifecycle.h"

#include <catch2/catch.hpp>

#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;
using testing::Harness;

namespace {

Date date(const char* text) { return *parseDate(text); }

ir::Lifecycle deprecated(std::string from = "", std::string to = "") {
  ir::Lifecycle lc;
  lc.maturity.value = "deprecated";
  lc.deprecation.present = true;
  lc.deprecation.migratedTo = "ghcr.io/myorg/katalogs/webapp@v2.0.0";
  lc.deprecation.message = "v1.0.0 is end-of-life. Migrate to v2.0.0: add spec.healthPath to your CRs.";
  lc.deprecation.timelineFrom = std::move(from);
  lc.deprecation.timelineTo = std::move(to);
  return lc;
}

const char* kKomposer =
    "imports:\n"                                             // 1
    "  registry: [ghcr.io/myorg/katalogs/webapp@v1.0.0]\n"  // 2
    "  files: [./katalog.yaml]\n"                           // 3
    "policy: {lifecycle: {minMaturity: beta}}\n";            // 4

/// A Komposer importing one registry pattern and one file Katalog, and a motif from the file.
struct Imports {
  Harness h;
  FileId file;
  ir::Document* komposer;
  ir::Document* registry;
  ir::Document* local;
  ir::Document* motif;

  Imports() {
    file = h.addFile("komposer.yaml", kKomposer);
    komposer = &h.addEntry(ir::DocKind::Komposer, "komposer.yaml");
    registry = &h.addDocument(ir::DocKind::Katalog, "cache/webapp/katalog.yaml", "webapp-operator");
    registry->importedBy = {ir::ImportRecord::Kind::Registry, "registry:ghcr.io/myorg/katalogs/webapp@v1.0.0",
                            "ghcr.io/myorg/katalogs/webapp", "v1.0.0", komposer, h.find(file, "ghcr.io")};
    registry->metadata.version.value = "v1.0.0";
    registry->metadata.author = "myorg";
    registry->lifecycle.maturity.value = "stable";
    local = &h.addDocument(ir::DocKind::Katalog, "katalog.yaml", "cache-operator");
    local->importedBy = {ir::ImportRecord::Kind::File, "file:./katalog.yaml", "./katalog.yaml", "", komposer,
                         h.find(file, "./katalog.yaml")};
    local->lifecycle.maturity.value = "stable";
    motif = &h.addDocument(ir::DocKind::Motif, "motifs/web/motif.yaml", "web-service");
    motif->importedBy = {ir::ImportRecord::Kind::Motif, "motif:./motifs/web", "./motifs/web", "", local,
                         h.find(file, "files")};
  }
  void setMinMaturity(const char* m) {
    komposer->policy.emplace();
    komposer->policy->minMaturity = {m, h.find(file, "beta")};
  }
};

}  // namespace

TEST_CASE("lifecycle state follows the timeline", "[check_lifecycle]") {
  CHECK(lifecycleState(ir::Lifecycle{}, date("2026-03-01")) == LifecycleState::None);
  CHECK(lifecycleState(deprecated(), date("2026-03-01")) == LifecycleState::Warning);
  ir::Lifecycle lc = deprecated("2026-01-01", "2026-06-01");
  CHECK(lifecycleState(lc, date("2025-12-31")) == LifecycleState::None);
  CHECK(lifecycleState(lc, date("2026-01-01")) == LifecycleState::Warning);
  CHECK(lifecycleState(lc, date("2026-05-31")) == LifecycleState::Warning);
  CHECK(lifecycleState(lc, date("2026-06-01")) == LifecycleState::Eol);
  ir::Lifecycle onlyMaturity;
  onlyMaturity.maturity.value = "deprecated";
  CHECK(lifecycleState(onlyMaturity, date("2026-03-01")) == LifecycleState::Warning);
  ir::Lifecycle onlyField;
  onlyField.deprecation.present = true;
  CHECK(lifecycleState(onlyField, date("2026-03-01")) == LifecycleState::Warning);
}

TEST_CASE("accept patterns match name, author and version range", "[check_lifecycle]") {
  ir::Metadata md;
  md.name.value = "webapp-operator";
  md.author = "myorg";
  md.version.value = "v1.0.0";
  auto accept = [](std::string name, std::string author, std::string version) {
    return std::vector<ir::AcceptPattern>{{std::move(name), std::move(author), std::move(version), {}}};
  };
  CHECK(isAccepted(accept("webapp-operator", "", ""), md));
  CHECK(isAccepted(accept("webapp-operator", "myorg", "<2.0.0"), md));
  CHECK_FALSE(isAccepted(accept("webapp-operator", "other", ""), md));
  CHECK_FALSE(isAccepted(accept("webapp-operator", "", ">=1.1.0"), md));
  CHECK_FALSE(isAccepted(accept("webapp", "", ""), md));
  CHECK_FALSE(isAccepted({}, md));
}

TEST_CASE("unaccepted deprecated imports warn with the §9.4 text (ORK1401)", "[check_lifecycle]") {
  Imports t;
  t.registry->lifecycle = deprecated("2025-01-01", "2026-06-01");
  t.local->lifecycle = deprecated();
  t.local->lifecycle.deprecation.migratedTo.clear();
  t.motif->lifecycle.deprecation.present = true;
  t.motif->lifecycle.deprecation.message = "use web-service-v2";
  t.h.run(createCheckLifecyclePass(date("2026-03-01")));
  CHECK(t.h.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:2:14: warning[ORK1401]: registry pattern \"ghcr.io/myorg/katalogs/webapp\"@v1.0.0 is "
            "deprecated — migrate to: ghcr.io/myorg/katalogs/webapp@v2.0.0 (v1.0.0 is end-of-life. Migrate to v2.0.0: "
            "add spec.healthPath to your CRs.)",
            "komposer.yaml:3:11: warning[ORK1401]: file \"./katalog.yaml\" is deprecated (v1.0.0 is end-of-life. "
            "Migrate to v2.0.0: add spec.healthPath to your CRs.)",
            "komposer.yaml:3:3: warning[ORK1401]: motif \"./motifs/web\" is deprecated (use web-service-v2)"});
  CHECK(t.h.diags.diagnostics()[0].help == "add it to lifecycle.accept.patterns to acknowledge this import");

  // Past timeline.to the message says end of life.
  t.h.diags.clear();
  t.h.run(createCheckLifecyclePass(date("2026-06-01")));
  CHECK(t.h.rendered()[0] ==
        "komposer.yaml:2:14: warning[ORK1401]: registry pattern \"ghcr.io/myorg/katalogs/webapp\"@v1.0.0 is end of "
        "life since 2026-06-01 — migrate to: ghcr.io/myorg/katalogs/webapp@v2.0.0 (v1.0.0 is end-of-life. Migrate to "
        "v2.0.0: add spec.healthPath to your CRs.)");

  // Before timeline.from nothing is reported for it.
  t.h.diags.clear();
  t.h.run(createCheckLifecyclePass(date("2024-12-31")));
  CHECK(t.h.diags.diagnostics().size() == 2);
}

TEST_CASE("accepted deprecated imports are silent", "[check_lifecycle]") {
  Imports t;
  t.registry->lifecycle = deprecated();
  t.komposer->lifecycle.accept.push_back({"webapp-operator", "myorg", "<2.0.0", {}});
  t.h.run(createCheckLifecyclePass(date("2026-03-01")));
  CHECK(t.h.diags.diagnostics().empty());
}

TEST_CASE("with minMaturity, unaccepted deprecated and immature imports are errors (ORK1402)", "[check_lifecycle]") {
  Imports t;
  t.setMinMaturity("beta");
  t.registry->lifecycle = deprecated();
  t.local->lifecycle.maturity = {"alpha", {}};
  t.h.run(createCheckLifecyclePass(date("2026-03-01")));
  CHECK(t.h.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:2:14: error[ORK1402]: registry pattern \"ghcr.io/myorg/katalogs/webapp\"@v1.0.0 is "
            "deprecated — migrate to: ghcr.io/myorg/katalogs/webapp@v2.0.0 (v1.0.0 is end-of-life. Migrate to v2.0.0: "
            "add spec.healthPath to your CRs.)",
            "komposer.yaml:3:11: error[ORK1402]: file \"./katalog.yaml\" has maturity \"alpha\", below "
            "policy.lifecycle.minMaturity \"beta\""});
  CHECK(t.h.notes(1) == std::vector<std::string>{"komposer.yaml:4:35: policy.lifecycle.minMaturity is set here"});

  // No maturity at all is below any minimum; motifs carry no lifecycle and are exempt.
  t.h.diags.clear();
  t.registry->lifecycle = ir::Lifecycle{};
  t.local->lifecycle.maturity = {"beta", {}};
  t.h.run(createCheckLifecyclePass(date("2026-03-01")));
  CHECK(t.h.rendered() ==
        std::vector<std::string>{"komposer.yaml:2:14: error[ORK1402]: registry pattern "
                                 "\"ghcr.io/myorg/katalogs/webapp\"@v1.0.0 declares no lifecycle.maturity; "
                                 "policy.lifecycle.minMaturity is \"beta\""});
}

TEST_CASE("the entry document's own lifecycle is not an import", "[check_lifecycle]") {
  Imports t;
  t.komposer->lifecycle = deprecated();
  t.h.run(createCheckLifecyclePass(date("2026-03-01")));
  CHECK(t.h.diags.diagnostics().empty());
  CHECK(&entryDocumentOf(*t.motif) == t.komposer);
}

TEST_CASE("allowedRegistries matches whole path segments", "[check_lifecycle]") {
  std::vector<ir::Located> allowed = {{"ghcr.io/acme", {}}, {"github.com/acme/", {}}, {"https://files.acme.io", {}},
                                      {"localhost:5000", {}}};
  CHECK(registryAllowed("ghcr.io/acme/pg", allowed));
  CHECK(registryAllowed("ghcr.io/acme", allowed));
  CHECK_FALSE(registryAllowed("ghcr.io/acmecorp/pg", allowed));
  CHECK_FALSE(registryAllowed("docker.io/acme/pg", allowed));
  CHECK(registryAllowed("github.com/acme/patterns/webapp", allowed));
  CHECK(registryAllowed("files.acme.io/audit.yaml", allowed));
  CHECK(registryAllowed("localhost:5000/team/pg", allowed));
  CHECK_FALSE(registryAllowed("localhost:50001/team/pg", allowed));
  CHECK_FALSE(registryAllowed("ghcr.io/acme/pg", {}));
}

TEST_CASE("allowedRegistries: hosts compare case-insensitively; dot segments never pass", "[check_lifecycle]") {
  std::vector<ir::Located> allowed = {{"GHCR.io/acme", {}}};
  CHECK(registryAllowed("ghcr.IO/acme/pg", allowed));
  CHECK_FALSE(registryAllowed("ghcr.io/ACME/pg", allowed));  // paths stay case-sensitive
  CHECK_FALSE(registryAllowed("ghcr.io/acme/../evil/pg", allowed));
  CHECK_FALSE(registryAllowed("ghcr.io/acme/./pg", allowed));
  CHECK_FALSE(registryAllowed("ghcr.io/acme/..", allowed));
}

TEST_CASE("a registry outside the policy is ORK1403 with the exact text", "[check_lifecycle]") {
  Harness h;
  FileId f = h.addFile("komposer.yaml",
                       "policy: {allowedRegistries: [ghcr.io/orkspace/orkestra-registry, registry.acme.io/operators]}\n"
                       "imports: {registry: [docker.io/evil/postgres:v1]}\n");
  ir::Policy policy;
  policy.span = h.find(f, "{allowedRegistries");
  policy.allowedRegistries = {{"ghcr.io/orkspace/orkestra-registry", {}}, {"registry.acme.io/operators", {}}};
  reportRegistryNotAllowed("docker.io/evil/postgres:v1", policy, h.find(f, "docker.io"), h.diags);
  CHECK(h.rendered() == std::vector<std::string>{
                            "komposer.yaml:2:22: error[ORK1403]: import \"docker.io/evil/postgres:v1\" is not allowed by "
                            "policy.allowedRegistries (allowed: ghcr.io/orkspace/orkestra-registry, "
                            "registry.acme.io/operators)"});
  CHECK(h.notes(0) == std::vector<std::string>{"komposer.yaml:1:9: policy.allowedRegistries is set here"});
}

TEST_CASE("the entry document's policy governs network imports only when it sets allowedRegistries",
          "[check_lifecycle]") {
  Harness h;
  ir::Document& doc = h.addEntry(ir::DocKind::Komposer, "komposer.yaml");
  CHECK(allowedRegistriesPolicy(doc) == nullptr);
  doc.policy.emplace();
  CHECK(allowedRegistriesPolicy(doc) == nullptr);
  doc.policy->allowedRegistries.push_back({"ghcr.io/acme", {}});
  CHECK(allowedRegistriesPolicy(doc) == &*doc.policy);
}
