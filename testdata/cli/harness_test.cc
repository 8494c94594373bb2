// The CLI harness itself: ork runs with a private environment, and the registry fixture starts and stops.
#include <catch2/catch.hpp>

#include "testdata/cli/cli_harness.h"

using namespace ork::clitest;

TEST_CASE("the harness runs the ork binary and copies a pattern", "[cli]") {
  REQUIRE(!orkBinary().empty());
  TempDir dir;
  fs::path pattern = writePattern(dir / "cache", "v1.2.3");
  REQUIRE(readFile(pattern / "katalog.yaml").value_or("").find("version: v1.2.3") != std::string::npos);
  RunResult r = runOrk(dir.path(), "validate -f cache", "ORK_CACHE_DIR=" + shellQuote((dir / "cache-dir").string()));
  INFO(r.err);
  CHECK(r.exit == 0);
}
