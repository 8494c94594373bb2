// Tests of the check-dependencies pass and the startup order (FORMATS.md §3.2), on modules built by hand.
#include "passes/check_dependencies.h"

#include <catch2/catch.hpp>

#include "passes/testing.h"

using namespace ork;
using namespace ork::passes;
using testing::addCrd;
using testing::addDependency;
using testing::Harness;

namespace {

const char* kKatalog =
    "spec:\n"                                  // 1
    "  crds:\n"                                // 2
    "    webapp:\n"                            // 3
    "      dependsOn: [cache, postgress]\n"    // 4
    "    cache:\n"                             // 5
    "      dependsOn: [webapp]\n"              // 6
    "    postgres: {}\n"                       // 7
    "    queue: {enabled: false}\n"            // 8
    "    worker: {dependsOn: [queue]}\n";      // 9

}  // namespace

TEST_CASE("unknown and disabled dependencies; cycles once, at the closing entry", "[check_dependencies]") {
  Harness h;
  FileId f = h.addFile("katalog.yaml", kKatalog);
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "katalog.yaml");
  ir::CrdEntry& webapp = addCrd(doc, "webapp", h.find(f, "webapp:"));
  addDependency(webapp, "cache", h.find(f, "cache,"));
  addDependency(webapp, "postgress", h.find(f, "postgress"));
  ir::CrdEntry& cache = addCrd(doc, "cache", h.find(f, "cache:"));
  addDependency(cache, "webapp", h.find(f, "webapp]"));
  addCrd(doc, "postgres", h.find(f, "postgres:"));
  ir::CrdEntry& queue = addCrd(doc, "queue", h.find(f, "queue:"));
  queue.enabled = false;
  ir::CrdEntry& worker = addCrd(doc, "worker", h.find(f, "worker"));
  addDependency(worker, "queue", h.find(f, "queue]"));

  h.run(createCheckDependenciesPass());
  CHECK(h.rendered() ==
        std::vector<std::string>{
            "katalog.yaml:4:26: error[ORK1301]: CRD \"webapp\" depends on unknown CRD \"postgress\" (did you mean "
            "\"postgres\"?)",
            "katalog.yaml:9:26: error[ORK1301]: CRD \"worker\" depends on \"queue\", which is disabled",
            "katalog.yaml:4:19: error[ORK1302]: circular dependency: cache → webapp → cache"});
  CHECK(h.notes(1) == std::vector<std::string>{"katalog.yaml:8:5: \"queue\" is disabled here"});
  CHECK(h.notes(2) == std::vector<std::string>{"katalog.yaml:6:19: cache depends on webapp here"});
  CHECK(h.diags.diagnostics()[2].path == "spec.crds.webapp.dependsOn");
  CHECK(h.diags.diagnostics()[0].path == "spec.crds.webapp.dependsOn");
}

TEST_CASE("self-dependencies, three-cycles and separate cycles", "[check_dependencies]") {
  Harness h;
  FileId f = h.addFile("k.yaml", "a b c d e x\n");
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "k.yaml");
  auto at = [&](const char* n) { return h.find(f, n); };
  addDependency(addCrd(doc, "x", at("x")), "x", at("x"));
  ir::CrdEntry& a = addCrd(doc, "a", at("a"));
  ir::CrdEntry& b = addCrd(doc, "b", at("b"));
  ir::CrdEntry& c = addCrd(doc, "c", at("c"));
  addDependency(a, "b", at("b"));
  addDependency(b, "c", at("c"));
  addDependency(c, "a", at("a"));
  ir::CrdEntry& d = addCrd(doc, "d", at("d"));
  ir::CrdEntry& e = addCrd(doc, "e", at("e"));
  addDependency(d, "e", at("e"));
  addDependency(e, "d", at("d"));
  h.run(createCheckDependenciesPass());
  CHECK(h.rendered() == std::vector<std::string>{
                            "k.yaml:1:1: error[ORK1302]: circular dependency: a → b → c → a",
                            "k.yaml:1:7: error[ORK1302]: circular dependency: d → e → d",
                            "k.yaml:1:11: error[ORK1302]: circular dependency: x → x"});
  CHECK(h.notes(0) == std::vector<std::string>{"k.yaml:1:3: a depends on b here", "k.yaml:1:5: b depends on c here"});
}

TEST_CASE("a disabled CRD's own dependsOn is not checked", "[check_dependencies]") {
  Harness h;
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "k.yaml");
  ir::CrdEntry& off = addCrd(doc, "off");
  off.enabled = false;
  addDependency(off, "nothing");
  h.run(createCheckDependenciesPass());
  CHECK(h.diags.diagnostics().empty());
}

TEST_CASE("startup order is topological with ties by name", "[check_dependencies]") {
  Harness h;
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "k.yaml");
  ir::CrdEntry& webapp = addCrd(doc, "webapp");
  addDependency(webapp, "postgres", {}, ir::DependencyCondition::Healthy);
  addDependency(webapp, "cache");
  addDependency(addCrd(doc, "cache"), "postgres");
  addCrd(doc, "postgres");
  addCrd(doc, "api");
  addDependency(addCrd(doc, "ghost"), "missing");  // unknown dependency: left out of the graph
  DependencyGraph g = buildDependencyGraph(h.module);
  CHECK(g.startupOrder == std::vector<std::string>{"api", "ghost", "postgres", "cache", "webapp"});
  REQUIRE(g.edges.size() == 3);
  CHECK(g.edges[0].from == "cache");
  CHECK(g.edges[0].to == "postgres");
  CHECK(g.edges[1].from == "webapp");
  CHECK(g.edges[1].to == "postgres");
  CHECK(g.edges[1].condition == ir::DependencyCondition::Healthy);
  CHECK(g.edges[2].to == "cache");
}

TEST_CASE("CRDs on a cycle come last in the startup order", "[check_dependencies]") {
  Harness h;
  ir::Document& doc = h.addEntry(ir::DocKind::Katalog, "k.yaml");
  addDependency(addCrd(doc, "b"), "a");
  addDependency(addCrd(doc, "a"), "b");
  addCrd(doc, "z");
  CHECK(buildDependencyGraph(h.module).startupOrder == std::vector<std::string>{"z", "a", "b"});
}

TEST_CASE("overrides change enabled and dependsOn before the checks", "[check_dependencies]") {
  Harness h;
  FileId f = h.addFile("komposer.yaml", "crds: {webapp: {dependsOn: [redis]}, cache: {enabled: false}}\n");
  ir::Document& komposer = h.addEntry(ir::DocKind::Komposer, "komposer.yaml");
  ir::Document& katalog = h.addDocument(ir::DocKind::Katalog, "katalogs/app.yaml");
  katalog.importedBy = {ir::ImportRecord::Kind::File, "file:./katalogs/app.yaml", "./katalogs/app.yaml", "", &komposer, {}};
  ir::CrdEntry& webapp = addCrd(katalog, "webapp");
  addDependency(webapp, "cache");  // replaced by the override's dependsOn
  addCrd(katalog, "cache");
  addCrd(katalog, "redis");

  ir::CrdEntry& over = addCrd(komposer, "webapp", h.find(f, "webapp"));
  over.body = ir::Node::makeMap();
  over.body->set("dependsOn", ir::Node::makeList());
  addDependency(over, "redis", h.find(f, "redis"));
  ir::CrdEntry& off = addCrd(komposer, "cache", h.find(f, "cache"));
  off.enabled = false;
  off.body = ir::Node::makeMap();
  off.body->set("enabled", ir::Node::makeBool(false, h.find(f, "false")));
  h.module.loadOrder = {&katalog, &komposer};

  h.run(createCheckDependenciesPass());
  CHECK(h.diags.diagnostics().empty());
  DependencyGraph g = buildDependencyGraph(h.module);
  CHECK(g.startupOrder == std::vector<std::string>{"redis", "webapp"});

  // Depending on the CRD the Komposer disabled is an error pointing at the override.
  ir::CrdEntry& extra = addCrd(katalog, "extra", h.find(f, "crds"));
  addDependency(extra, "cache", h.find(f, "crds"));
  h.run(createCheckDependenciesPass());
  CHECK(h.rendered() == std::vector<std::string>{
                            "komposer.yaml:1:1: error[ORK1301]: CRD \"extra\" depends on \"cache\", which is disabled"});
  CHECK(h.notes(0) == std::vector<std::string>{"komposer.yaml:1:55: \"cache\" is disabled here"});
}
