// Tests of the string helpers behind every did-you-mean: edit distance, suggest, join/split/trim.
#include <catch2/catch.hpp>

#include "support/strings.h"

using namespace ork;

TEST_CASE("editDistance counts insertions, deletions, substitutions and transpositions") {
  CHECK(editDistance("", "") == 0);
  CHECK(editDistance("abc", "") == 3);
  CHECK(editDistance("", "abc") == 3);
  CHECK(editDistance("replicas", "replicas") == 0);
  CHECK(editDistance("replcas", "replicas") == 1);   // one deletion
  CHECK(editDistance("replicass", "replicas") == 1);  // one insertion
  CHECK(editDistance("replicaz", "replicas") == 1);   // one substitution
  CHECK(editDistance("rpelicas", "replicas") == 1);   // one transposition (Damerau)
  CHECK(editDistance("kitten", "sitting") == 3);
  CHECK(editDistance("ca", "abc") == 3);              // optimal string alignment, not unrestricted
  CHECK(editDistance("Workers", "workers") == 1);     // case-sensitive
}

TEST_CASE("suggest finds the key a user most likely meant") {
  std::vector<std::string> keys = {"name", "image", "replicas", "port", "configMaps", "secrets"};
  CHECK(suggest("replcas", keys) == std::optional<std::string>("replicas"));
  CHECK(suggest("rpelicas", keys) == std::optional<std::string>("replicas"));
  // A case-insensitive match wins over any distance.
  CHECK(suggest("configmaps", keys) == std::optional<std::string>("configMaps"));
  CHECK(suggest("CONFIGMAPS", keys) == std::optional<std::string>("configMaps"));
  CHECK(suggest("imgae", keys) == std::optional<std::string>("image"));
}

TEST_CASE("suggest returns nothing for distant or exact words") {
  std::vector<std::string> keys = {"name", "image", "replicas", "port"};
  CHECK_FALSE(suggest("volumes", keys).has_value());
  CHECK_FALSE(suggest("completelyDifferent", keys).has_value());
  CHECK_FALSE(suggest("replicas", keys).has_value());  // the word itself is not a suggestion
  CHECK_FALSE(suggest("anything", {}).has_value());
  // Short words tolerate one edit only: "id" is two edits from "as".
  CHECK_FALSE(suggest("id", {"as"}).has_value());
  CHECK(suggest("ax", {"as"}) == std::optional<std::string>("as"));
  // Distance 3 is beyond the default limit of 2.
  CHECK_FALSE(suggest("repxxxas", {"replicas"}).has_value());
}

TEST_CASE("suggest breaks ties by candidate order and prefers the nearest") {
  CHECK(suggest("cat", {"bat", "hat"}) == std::optional<std::string>("bat"));
  CHECK(suggest("workerss", {"worker", "workers"}) == std::optional<std::string>("workers"));
}

TEST_CASE("didYouMean formats the message suffix") {
  CHECK(didYouMean("replcas", {"replicas"}) == " (did you mean 'replicas'?)");
  CHECK(didYouMean("postgress", {"postgres"}, '"') == " (did you mean \"postgres\"?)");
  CHECK(didYouMean("zzz", {"replicas"}).empty());
}

TEST_CASE("join, split, trim, toLower, startsWith, endsWith") {
  CHECK(join({}, ", ").empty());
  CHECK(join({"a"}, ", ") == "a");
  CHECK(join({"a", "b", "c"}, "; ") == "a; b; c");
  CHECK(split("a,b,,c", ',') == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(split("", ',') == std::vector<std::string>{""});
  CHECK(split("abc", ',') == std::vector<std::string>{"abc"});
  CHECK(trim("  a b \t\n") == "a b");
  CHECK(trim("   ").empty());
  CHECK(toLower("ConfigMaps") == "configmaps");
  CHECK(startsWith("oci://x", "oci://"));
  CHECK_FALSE(startsWith("oc", "oci://"));
  CHECK(endsWith("motif.yaml", ".yaml"));
  CHECK_FALSE(endsWith("yaml", ".yaml"));
}
