// The registry index (FORMATS.md §11.4): its JSON, the highest-semver rule, reading and writing it as an
// OCI artifact, and the same rows built through the registry API when there is no index.
#include "frontend/sources/pattern_index.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "frontend/sources/artifact.h"
#include "support/scalars.h"
#include "support/strings.h"

namespace ork::sources {
namespace {

OciError invalid(std::string detail) {
  OciError e;
  e.kind = OciError::Kind::Invalid;
  e.detail = std::move(detail);
  return e;
}

std::string annotation(const std::map<std::string, std::string>& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? "" : it->second;
}

std::string stringField(const nlohmann::json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : "";
}

nlohmann::json rowJson(const PatternIndexRow& r) {
  return {{"name", r.name},
          {"kind", r.kind},
          {"latestVersion", r.latestVersion},
          {"description", r.description},
          {"tags", r.tags},
          {"author", r.author},
          {"simulateStatus", r.simulateStatus},
          {"e2eStatus", r.e2eStatus},
          {"deprecated", r.deprecated},
          {"migratedTo", r.migratedTo}};
}

}  // namespace

std::string serializePatternIndex(const PatternIndex& index) {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<PatternIndexRow> sorted = index.patterns;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const PatternIndexRow& r : sorted) rows.push_back(rowJson(r));
  nlohmann::json doc = {{"patterns", std::move(rows)}, {"updatedAt", index.updatedAt}};
  return doc.dump(2) + "\n";
}

std::optional<PatternIndex> parsePatternIndex(std::string_view json, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<PatternIndex> {
    if (error) *error = why;
    return std::nullopt;
  };
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object()) return fail("index.json is not a JSON object");
  auto patterns = doc.find("patterns");
  if (patterns == doc.end() || !patterns->is_array()) return fail("index.json has no \"patterns\" list");
  PatternIndex index;
  index.updatedAt = stringField(doc, "updatedAt");
  for (const nlohmann::json& row : *patterns) {
    if (!row.is_object() || stringField(row, "name").empty())
      return fail("index.json: every entry of \"patterns\" must be an object with a \"name\"");
    PatternIndexRow r;
    r.name = stringField(row, "name");
    r.kind = stringField(row, "kind");
    r.latestVersion = stringField(row, "latestVersion");
    r.description = stringField(row, "description");
    r.author = stringField(row, "author");
    r.simulateStatus = stringField(row, "simulateStatus");
    r.e2eStatus = stringField(row, "e2eStatus");
    r.migratedTo = stringField(row, "migratedTo");
    if (auto d = row.find("deprecated"); d != row.end() && d->is_boolean()) r.deprecated = d->get<bool>();
    if (auto t = row.find("tags"); t != row.end() && t->is_array())
      for (const auto& tag : *t)
        if (tag.is_string()) r.tags.push_back(tag.get<std::string>());
    upsertPatternRow(index, std::move(r));
  }
  return index;
}

void upsertPatternRow(PatternIndex& index, PatternIndexRow row) {
  auto& rows = index.patterns;
  auto at = std::lower_bound(rows.begin(), rows.end(), row.name,
                             [](const PatternIndexRow& r, const std::string& name) { return r.name < name; });
  if (at != rows.end() && at->name == row.name)
    *at = std::move(row);
  else
    rows.insert(at, std::move(row));
}

std::optional<std::string> highestSemverTag(const std::vector<std::string>& tags) {
  std::optional<std::string> best, bestPre;
  std::optional<SemVer> bestV, bestPreV;
  for (const std::string& t : tags) {
    std::optional<SemVer> v = parseSemVer(t);
    if (!v) continue;
    auto& slot = v->prerelease.empty() ? best : bestPre;
    auto& slotV = v->prerelease.empty() ? bestV : bestPreV;
    // Equal versions spelled differently (v1.0.0, 1.0.0): the greater text wins, so the result is stable.
    if (!slotV || compareSemVer(*v, *slotV) > 0 || (compareSemVer(*v, *slotV) == 0 && t > *slot)) {
      slot = t;
      slotV = v;
    }
  }
  return best ? best : bestPre;
}

PatternIndexRow rowFromAnnotations(const std::string& name, const std::string& version,
                                   const std::map<std::string, std::string>& a) {
  PatternIndexRow r;
  r.name = name;
  r.latestVersion = version;
  r.kind = annotation(a, "io.orkestra.pattern.kind");
  r.description = annotation(a, "org.opencontainers.image.description");
  r.author = annotation(a, "io.orkestra.pattern.author");
  if (r.author.empty()) r.author = annotation(a, "org.opencontainers.image.authors");
  for (const std::string& t : split(annotation(a, "io.orkestra.pattern.tags"), ','))
    if (!trim(t).empty()) r.tags.push_back(std::string(trim(t)));
  r.simulateStatus = annotation(a, "io.orkestra.simulate.status");
  r.e2eStatus = annotation(a, "io.orkestra.e2e.status");
  r.deprecated = annotation(a, "io.orkestra.katalog.deprecated") == "true";
  r.migratedTo = annotation(a, "io.orkestra.katalog.deprecated.migrated_to");
  return r;
}

std::string joinRepository(const std::string& parent, const std::string& name) {
  return parent.empty() ? name : parent + "/" + name;
}

std::string parentRepository(const std::string& repository) {
  size_t slash = repository.rfind('/');
  return slash == std::string::npos ? "" : repository.substr(0, slash);
}

Expected<std::optional<PatternIndex>> readPatternIndex(Registry& registry, const std::string& parent) {
  using Result = Expected<std::optional<PatternIndex>>;
  std::string repo = joinRepository(parent, kIndexRepositoryName);
  auto manifest = registry.getManifest(repo, kIndexTag);
  if (!manifest.ok()) {
    if (manifest.error.kind == OciError::Kind::NotFound) return Result{std::optional<PatternIndex>{}, {}};
    return Result::fail(manifest.error);
  }
  if (manifest.value->artifactType() != kIndexArtifactType)
    return Result::fail(invalid(repo + ":" + kIndexTag + " has artifactType \"" +
                                manifest.value->artifactType() + "\", not " + kIndexArtifactType));
  for (const Descriptor& layer : manifest.value->layers()) {
    if (annotation(layer.annotations, kTitleAnnotation) != kIndexLayerTitle) continue;
    auto bytes = registry.fetchBlobBytes(repo, layer);
    if (!bytes.ok()) return Result::fail(bytes.error);
    std::string why;
    std::optional<PatternIndex> index = parsePatternIndex(*bytes.value, &why);
    if (!index) return Result::fail(invalid(why));
    return Result{std::optional<PatternIndex>{std::move(*index)}, {}};
  }
  return Result::fail(invalid(repo + ":" + kIndexTag + " has no layer titled " + kIndexLayerTitle));
}

Expected<std::string> writePatternIndex(Registry& registry, const std::string& parent,
                                        const PatternIndex& index) {
  using Result = Expected<std::string>;
  std::string repo = joinRepository(parent, kIndexRepositoryName);
  std::string bytes = serializePatternIndex(index);
  Descriptor layer;
  layer.mediaType = "application/json";
  layer.digest = sha256Digest(bytes);
  layer.size = static_cast<int64_t>(bytes.size());
  layer.annotations[kTitleAnnotation] = kIndexLayerTitle;
  if (auto r = registry.pushBlob(repo, kEmptyConfigDigest, kEmptyConfigBytes); !r.ok())
    return Result::fail(r.error);
  if (auto r = registry.pushBlob(repo, layer.digest, bytes); !r.ok()) return Result::fail(r.error);
  std::map<std::string, std::string> annotations;
  if (!index.updatedAt.empty()) annotations["org.opencontainers.image.created"] = index.updatedAt;
  std::string manifest = buildManifest({layer}, kIndexArtifactType, annotations);
  return registry.pushManifest(repo, kIndexTag, manifest, kManifestMediaType);
}

Expected<PatternIndexRow> describeRepository(Registry& registry, const std::string& parent,
                                             const std::string& name) {
  using Result = Expected<PatternIndexRow>;
  std::string repo = joinRepository(parent, name);
  auto tags = registry.listTags(repo);
  if (!tags.ok()) return Result::fail(tags.error);
  std::vector<std::string> all = *tags.value;
  if (all.empty()) return Result::fail(invalid(repo + " has no tags"));
  std::sort(all.begin(), all.end());
  std::string version = highestSemverTag(all).value_or(
      std::find(all.begin(), all.end(), "latest") != all.end() ? std::string("latest") : all.back());
  auto manifest = registry.getManifest(repo, version);
  if (!manifest.ok()) return Result::fail(manifest.error);
  std::string type = manifest.value->artifactType();
  if (type != kPatternArtifactType && type != kMotifArtifactType)
    return Result::fail(
        invalid(repo + ":" + version + " is not an ork pattern (artifactType \"" + type + "\")"));
  PatternIndexRow row = rowFromAnnotations(name, version, manifest.value->annotations());
  if (row.kind.empty()) row.kind = type == kMotifArtifactType ? "Motif" : "Katalog";
  return Result{std::move(row), {}};
}

Expected<PatternIndex> listPatternsThroughCatalog(Registry& registry, const std::string& parent) {
  using Result = Expected<PatternIndex>;
  auto repos = registry.catalog();
  if (!repos.ok()) return Result::fail(repos.error);
  PatternIndex index;
  std::string prefix = parent.empty() ? "" : parent + "/";
  for (const std::string& repo : *repos.value) {
    if (!startsWith(repo, prefix)) continue;
    std::string name = repo.substr(prefix.size());
    if (name.empty() || name.find('/') != std::string::npos || name == kIndexRepositoryName) continue;
    auto row = describeRepository(registry, parent, name);
    if (row.ok()) {
      upsertPatternRow(index, std::move(*row.value));
      continue;
    }
    // A repository that is not an ork artifact (or lost its tags) is simply not a pattern; an
    // authentication or transport failure is the registry's answer for every repository, so it fails.
    switch (row.error.kind) {
      case OciError::Kind::Invalid:
      case OciError::Kind::NotFound: break;
      case OciError::Kind::Unauthorized:
      case OciError::Kind::Forbidden:
      case OciError::Kind::Status:
      case OciError::Kind::Network:
      case OciError::Kind::DigestMismatch:
      case OciError::Kind::TooLarge:
      case OciError::Kind::Insecure: return Result::fail(row.error);
    }
  }
  return Result{std::move(index), {}};
}

}  // namespace ork::sources
