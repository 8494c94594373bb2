// The registry index of FORMATS.md §11.4: `<parent>/index:latest`, one JSON layer listing the patterns of
// a registry path with their highest semver version. `ork push` keeps it; `ork patterns` reads it, or
// lists the same rows through the registry API (catalog, tags, each latest manifest's annotations).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "frontend/sources/oci.h"

namespace ork::sources {

/// The repository of the index under a registry path, and its tag.
inline constexpr const char* kIndexRepositoryName = "index";
inline constexpr const char* kIndexTag = "latest";
/// The title of the index's one layer (media type application/json).
inline constexpr const char* kIndexLayerTitle = "index.json";

/// One pattern of the index: the §11.4 keys. `name` is the repository's last path segment (what
/// `ork pull <name>:<latestVersion>` fetches under the registry path).
struct PatternIndexRow {
  std::string name;
  std::string kind;  // Katalog | Motif
  std::string latestVersion;
  std::string description;
  std::vector<std::string> tags;
  std::string author;
  std::string simulateStatus;  // passed | failed | skipped | no-assertion | "" (no gate)
  std::string e2eStatus;       // passed | failed | skipped | "" (no gate)
  bool deprecated = false;
  std::string migratedTo;
  friend bool operator==(const PatternIndexRow&, const PatternIndexRow&) = default;
};

/// The index document: `{"patterns": [...], "updatedAt": "<RFC 3339>"}`, rows sorted by name.
struct PatternIndex {
  std::vector<PatternIndexRow> patterns;
  std::string updatedAt;
};

/// The index JSON: sorted keys, two-space indentation, rows by name; every row key present.
std::string serializePatternIndex(const PatternIndex& index);
/// Reads index JSON. Unknown keys are ignored; a missing row key reads as empty/false. Returns nullopt
/// with `*error` when the text is not an object with a `patterns` list of objects each with a `name`.
std::optional<PatternIndex> parsePatternIndex(std::string_view json, std::string* error);
/// Replaces the row named `row.name` (or adds it), keeping rows sorted by name.
void upsertPatternRow(PatternIndex& index, PatternIndexRow row);

/// The highest semver among `tags` (§11.4): pre-releases only when no release exists; tags that are
/// not semver are ignored. nullopt when no tag is semver.
std::optional<std::string> highestSemverTag(const std::vector<std::string>& tags);

/// A row from the annotations of a pattern's manifest (§11.1 keys): kind, description, tags, author,
/// gate statuses, deprecation. `name` and `version` are given.
PatternIndexRow rowFromAnnotations(const std::string& name, const std::string& version,
                                   const std::map<std::string, std::string>& annotations);

/// `parent/name`, or `name` when `parent` is empty.
std::string joinRepository(const std::string& parent, const std::string& name);
/// The registry path of a repository (`team/katalogs/webapp` → `team/katalogs`; `webapp` → "").
std::string parentRepository(const std::string& repository);

/// Reads `<parent>/index:latest` from `registry`. A missing index (NotFound) is a value of nullopt;
/// an index that is not an ork index (artifactType, layer, JSON) is an Invalid error.
Expected<std::optional<PatternIndex>> readPatternIndex(Registry& registry, const std::string& parent);

/// Writes `index` as `<parent>/index:latest`: the empty config, one application/json layer titled
/// index.json, artifactType application/vnd.orkestra.index.v1+json. Returns the manifest digest.
Expected<std::string> writePatternIndex(Registry& registry, const std::string& parent,
                                        const PatternIndex& index);

/// The row of repository `<parent>/<name>`: its tags, the highest semver one (else `latest`, else the
/// last tag by name), and that manifest's annotations. An artifact that is not an ork pattern or motif
/// is Invalid.
Expected<PatternIndexRow> describeRepository(Registry& registry, const std::string& parent,
                                             const std::string& name);

/// Every pattern directly under `parent`, listed through the registry API (catalog, then
/// describeRepository for each repository one segment below `parent`, except the index itself);
/// repositories that are not ork artifacts are left out. `updatedAt` stays empty.
Expected<PatternIndex> listPatternsThroughCatalog(Registry& registry, const std::string& parent);

}  // namespace ork::sources
