// The text and JSON of `ork inspect` (FORMATS.md §11.3), rendered from a manifest as pure functions
// so that tests can fix the time and compare the exact output.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "frontend/sources/oci.h"

namespace ork::cli {

/// One line of `--versions`: a tag and its manifest (or why it could not be read).
struct VersionInfo {
  std::string tag;
  std::optional<sources::Manifest> manifest;
  std::string error;  // the §10.3 message when the manifest could not be read
};

/// Everything the inspect text shows besides the manifest itself.
struct InspectView {
  std::string title;     // `webapp-operator:v1.2.0` (last repository segment and tag, or @digest)
  std::string registry;  // `ghcr.io`, `127.0.0.1:5000`, `oci-layout:./registry/postgres`
  std::string pullRef;   // what `ork pull` takes: short under the default registry, else the full ref
  int64_t now = 0;       // seconds since the epoch, for ages
  bool versionsAsked = false;
  std::vector<VersionInfo> versions;  // highest semver first, at most 10
};

/// Sorts tags highest semver first (tags that are not semver after all semver ones, by name) and
/// keeps at most `limit`.
std::vector<std::string> sortVersionTags(std::vector<std::string> tags, size_t limit = 10);

/// The §11.3 text: deprecation banner, header rows (only when set), gate rows, Typed, Draft, the
/// Files table, the Versions list when asked, and the `To pull:` line. `manifest` is nullopt when only
/// versions are listed (a ref without a tag and --versions).
std::string renderInspectText(const InspectView& view, const std::optional<sources::Manifest>& manifest);

/// One `--versions` line: `v1.2.0  simulate ✓  e2e ⊘  pushed 12d ago`, with draft and deprecated marks.
std::string renderVersionLine(const VersionInfo& info, int64_t now);

/// `ork inspect -o json`: {reference, registry, digest, mediaType, artifactType, size, annotations,
/// layers: [{title, mediaType, digest, size}], versions?: [{tag, digest, created, simulate, e2e,
/// draft, deprecated} | {tag, error}]}.
nlohmann::json renderInspectJson(const std::string& reference, const InspectView& view,
                                 const std::optional<sources::Manifest>& manifest);

}  // namespace ork::cli
