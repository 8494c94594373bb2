// Tests of the registry URL reader (§10.1), the motif ref classifier (§8.2) and the local resolver.
#include "passes/import_resolver.h"

#include <catch2/catch.hpp>

#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;

namespace {
const std::string kHex = "0f3a5b7c9d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a";
}

TEST_CASE("registry URLs: OCI references, tags, digests and defaults", "[import_resolver]") {
  RegistryRef r = parseRegistryUrl("ghcr.io/orkspace/orkestra-registry/postgres@v14", "", true);
  CHECK(r.valid);
  CHECK(r.kind == SourceKind::Oci);
  CHECK(r.url == "ghcr.io/orkspace/orkestra-registry/postgres");
  CHECK(r.version == "v14");
  CHECK(r.display() == "registry \"ghcr.io/orkspace/orkestra-registry/postgres\"@v14");
  CHECK(r.source() == "registry:ghcr.io/orkspace/orkestra-registry/postgres@v14");

  r = parseRegistryUrl("ghcr.io/acme/pg@sha256:" + kHex, "", false);
  CHECK(r.digest);
  CHECK(r.version == "sha256:" + kHex);
  CHECK(r.url == "ghcr.io/acme/pg");

  r = parseRegistryUrl("localhost:5000/team/pg:v14", "", false);
  CHECK(r.url == "localhost:5000/team/pg");
  CHECK(r.version == "v14");

  r = parseRegistryUrl("ghcr.io/orkspace/orkestra-registry/redis:v7", "", false);
  CHECK(r.version == "v7");
  CHECK(r.policyUrl() == "ghcr.io/orkspace/orkestra-registry/redis");

  CHECK(parseRegistryUrl("ghcr.io/acme/redis", "v7", false).version == "v7");
  CHECK(parseRegistryUrl("ghcr.io/acme/redis", "", false).version == "latest");
  CHECK(parseRegistryUrl("localhost:5000", "", false).version == "latest");
}

TEST_CASE("registry URLs: version: is ignored when the URL names one", "[import_resolver]") {
  RegistryRef r = parseRegistryUrl("ghcr.io/acme/pg@v14", "v15", false);
  CHECK(r.version == "v14");
  CHECK(r.versionFieldIgnored);
  CHECK_FALSE(parseRegistryUrl("ghcr.io/acme/pg@v14", "v14", false).versionFieldIgnored);
  CHECK_FALSE(parseRegistryUrl("ghcr.io/acme/pg", "v14", false).versionFieldIgnored);
  CHECK(parseRegistryUrl("ghcr.io/acme/pg:v1", "v2", false).versionFieldIgnored);
}

TEST_CASE("registry URLs: Git sources by host and .git suffix", "[import_resolver]") {
  RegistryRef r = parseRegistryUrl("https://github.com/acme/patterns/webapp@v1.4.0", "", false);
  CHECK(r.valid);
  CHECK(r.kind == SourceKind::GitHub);
  CHECK(r.url == "https://github.com/acme/patterns/webapp");
  CHECK(r.version == "v1.4.0");
  CHECK(r.policyUrl() == "github.com/acme/patterns/webapp");

  CHECK(parseRegistryUrl("https://github.com/acme/patterns", "", false).version == "main");
  CHECK(parseRegistryUrl("https://gitlab.com/g/sub/p/-/pg@v1", "", false).kind == SourceKind::GitLab);
  CHECK(parseRegistryUrl("https://gitlab.acme.io/g/p@v1", "", false).kind == SourceKind::GitLab);
  CHECK(parseRegistryUrl("https://code.acme.io/g/p@v1", "", false, {"code.acme.io"}).kind == SourceKind::GitLab);
  CHECK(parseRegistryUrl("https://code.acme.io/g/p@v1", "", false).kind == SourceKind::Git);
  r = parseRegistryUrl("https://git.acme.io/ops/patterns.git//postgres@main", "", false);
  CHECK(r.kind == SourceKind::Git);
  CHECK(r.url == "https://git.acme.io/ops/patterns.git//postgres");
  CHECK(r.version == "main");
  // A .git repository on github.com is generic Git (the suffix rule comes first).
  CHECK(parseRegistryUrl("https://github.com/acme/patterns.git@v1", "", false).kind == SourceKind::Git);
}

TEST_CASE("registry URLs: step 1 rejects malformed URLs", "[import_resolver]") {
  RegistryRef r = parseRegistryUrl("oci://ghcr.io/myorg/katalogs/webapp-operator:v1.0.0", "", false);
  CHECK_FALSE(r.valid);
  CHECK(r.display() == "registry \"oci://ghcr.io/myorg/katalogs/webapp-operator\"@v1.0.0");
  CHECK_FALSE(parseRegistryUrl("ghcr.io/acme/pg @v1", "", false).valid);
  CHECK_FALSE(parseRegistryUrl(" ghcr.io/acme/pg", "", false).valid);
  CHECK_FALSE(parseRegistryUrl("https://user@github.com/acme/p@v1", "", false).valid);
  CHECK_FALSE(parseRegistryUrl("https://github.com/acme/p@v1", "", true).valid);
  CHECK_FALSE(parseRegistryUrl("ftp://files.acme.io/p", "", false).valid);
  CHECK_FALSE(parseRegistryUrl("", "", false).valid);
  CHECK_FALSE(parseRegistryUrl("ghcr.io/acme/pg@", "", false).valid);
  // `.` / `..` segments could leave an allowed prefix.
  CHECK_FALSE(parseRegistryUrl("ghcr.io/acme/../evil/pg@v1", "", false).valid);
  CHECK_FALSE(parseRegistryUrl("ghcr.io/acme/./pg:v1", "", false).valid);
  CHECK_FALSE(parseRegistryUrl("https://github.com/acme/../evil/p@v1", "", false).valid);
  CHECK(parseRegistryUrl("ghcr.io/acme/pg..x@v1", "", false).valid);
}

TEST_CASE("registry URLs: oci-layout directories", "[import_resolver]") {
  RegistryRef r = parseRegistryUrl("oci-layout:./registry/pg:v14", "", false);
  CHECK(r.valid);
  CHECK(r.kind == SourceKind::OciLayout);
  CHECK(r.url == "oci-layout:./registry/pg");
  CHECK(r.version == "v14");
  CHECK(r.policyUrl().empty());
  CHECK(parseRegistryUrl("oci-layout:layouts@sha256:" + kHex, "", false).digest);
  CHECK(parseRegistryUrl("oci-layout:layouts", "", false).version == "latest");
}

TEST_CASE("motif refs are classified in the order of §8.2", "[import_resolver]") {
  const std::string reg = "ghcr.io/orkspace/orkestra-registry/patterns/motifs";
  CHECK(classifyMotifRef("./motifs/platform-admission", "", false, reg).kind == MotifRefKind::Local);
  CHECK(classifyMotifRef("../01-motifs/data-store/motif.yaml", "", false, reg).kind == MotifRefKind::Local);
  CHECK(classifyMotifRef("/abs/motif", "", false, reg).kind == MotifRefKind::Local);
  CHECK(classifyMotifRef("motifs/web.yml", "", false, reg).kind == MotifRefKind::Local);
  MotifRef m = classifyMotifRef("./motifs/web", "v9", false, reg);
  CHECK(m.version.empty());
  CHECK(m.display() == "motif \"./motifs/web\"");
  CHECK(m.source() == "motif:./motifs/web");
  CHECK_FALSE(m.network());

  m = classifyMotifRef("web-service:v1.1.0", "", false, reg);
  CHECK(m.kind == MotifRefKind::Bare);
  CHECK(m.location == reg + "/web-service");
  CHECK(m.version == "v1.1.0");
  CHECK(m.display() == "motif \"" + reg + "/web-service\"@v1.1.0");
  CHECK(m.network());
  CHECK(classifyMotifRef("web-service", "v2", false, reg).version == "v2");
  CHECK(classifyMotifRef("web-service", "", false, reg).version == "latest");
  CHECK(classifyMotifRef("team/web", "", true, reg).kind == MotifRefKind::Oci);
  CHECK(classifyMotifRef("team/web", "", false, reg).kind == MotifRefKind::Bare);

  m = classifyMotifRef("registry.acme.io/motifs/db@sha256:" + kHex, "", false, reg);
  CHECK(m.kind == MotifRefKind::Oci);
  CHECK(m.digest);
  CHECK(m.location == "registry.acme.io/motifs/db");
  CHECK(m.policyUrl() == "registry.acme.io/motifs/db");

  m = classifyMotifRef("oci://ghcr.io/myorg/motifs/web-service:v1.0.0", "", false, reg);
  CHECK(m.kind == MotifRefKind::Oci);
  CHECK(m.location == "ghcr.io/myorg/motifs/web-service");
  CHECK(m.version == "v1.0.0");
  CHECK(classifyMotifRef("localhost/motifs/x", "", false, reg).kind == MotifRefKind::Oci);
  CHECK(classifyMotifRef("localhost:5000/motifs/x:v3", "", false, reg).version == "v3");

  m = classifyMotifRef("https://github.com/acme/motifs/web", "", false, reg);
  CHECK(m.kind == MotifRefKind::Git);
  CHECK(m.version == "main");
  CHECK(m.policyUrl() == "github.com/acme/motifs/web");
  CHECK(classifyMotifRef("https://github.com/acme/motifs/web@v1", "", false, reg).version == "v1");

  m = classifyMotifRef("oci-layout:./layouts/web@v1", "", false, reg);
  CHECK(m.kind == MotifRefKind::OciLayout);
  CHECK(m.location == "oci-layout:./layouts/web");
  CHECK_FALSE(m.network());
}

TEST_CASE("the local resolver reports every network source as unavailable (ORK1209)", "[import_resolver]") {
  testing::Harness h;
  FileId f = h.addFile("komposer.yaml", "imports:\n  registry:\n    - ghcr.io/acme/pg@v14\n");
  ir::RegistryImport imp;
  imp.url = {"ghcr.io/acme/pg@v14", h.find(f, "ghcr.io/acme/pg@v14")};
  LocalImportResolver local;
  CHECK_FALSE(local.fetchPattern(parseRegistryUrl(imp.url.value, "", false), imp, h.diags));
  ir::MotifImport motif;
  motif.ref = {"https://github.com/acme/m", h.find(f, "ghcr.io")};
  CHECK_FALSE(local.fetchMotif(classifyMotifRef(motif.ref.value, "", false, "r"), motif, h.diags));
  CHECK_FALSE(local.fetchFile("https://files.acme.io/audit.yaml", std::nullopt, "file", h.find(f, "registry"), h.diags));
  CHECK_FALSE(local.fetchLayout({"registry \"oci-layout:./reg/pg\"@v1", "oci-layout:./reg/pg", "reg/pg", "v1", false,
                                     h.find(f, "imports")},
                                    h.diags));
  CHECK(h.rendered() ==
        std::vector<std::string>{
            "komposer.yaml:3:7: error[ORK1209]: registry \"ghcr.io/acme/pg\"@v14: OCI sources cannot be fetched by "
            "this resolver (it serves local paths only)",
            "komposer.yaml:3:7: error[ORK1209]: motif \"https://github.com/acme/m\"@main: Git sources cannot be "
            "fetched by this resolver (it serves local paths only)",
            "komposer.yaml:2:3: error[ORK1209]: file \"https://files.acme.io/audit.yaml\": HTTPS sources cannot be "
            "fetched by this resolver (it serves local paths only)",
            "komposer.yaml:1:1: error[ORK1209]: registry \"oci-layout:./reg/pg\"@v1: OCI layout sources cannot be "
            "fetched by this resolver (it serves local paths only)"});
  CHECK(h.diags.diagnostics()[0].help == "import the pattern's katalog.yaml from a local copy with imports.files");
}

TEST_CASE("invalid URL is reported word for word with the §10.3 help", "[import_resolver]") {
  testing::Harness h;
  FileId f = h.addFile("komposer.yaml", "registry:\n  - oci://ghcr.io/myorg/katalogs/webapp-operator:v1.0.0\n");
  RegistryRef r = parseRegistryUrl("oci://ghcr.io/myorg/katalogs/webapp-operator:v1.0.0", "", false);
  reportInvalidUrl(r, h.find(f, "oci://"), h.diags);
  CHECK(h.rendered() == std::vector<std::string>{"komposer.yaml:2:5: error[ORK1210]: registry "
                                                 "\"oci://ghcr.io/myorg/katalogs/webapp-operator\"@v1.0.0: invalid URL"});
  CHECK(h.diags.diagnostics()[0].help == "Remove scheme prefix or fix the URL");
}

TEST_CASE("local paths resolve against the declaring file's directory", "[import_resolver]") {
  LocalImportResolver local;
  CHECK(local.resolveLocal("app/komposer.yaml", "./katalogs/db.yaml") == "app/katalogs/db.yaml");
  CHECK(local.resolveLocal("komposer.yaml", "../shared/x.yaml") == "../shared/x.yaml");
  CHECK(local.resolveLocal("app/komposer.yaml", "/abs/x.yaml") == "/abs/x.yaml");
}
