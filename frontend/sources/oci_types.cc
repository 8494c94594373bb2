// The value types of frontend/sources/oci.h: OciError messages (§10.3), descriptors and manifests as
// JSON, and $ORK_INSECURE_REGISTRIES.
#include <cstdlib>

#include "frontend/sources/oci.h"

namespace ork::sources {

std::string OciError::message() const {
  switch (kind) {
    case Kind::NotFound: return "reference not found";
    case Kind::Unauthorized: return "authentication required (401)";
    case Kind::Forbidden: return "access denied (403)";
    case Kind::Status: return "unexpected status " + std::to_string(status);
    case Kind::Network: return "network error: " + detail;
    case Kind::DigestMismatch: return "digest mismatch: " + detail;
    case Kind::TooLarge: return "content too large: " + detail;
    case Kind::Invalid: return "invalid content: " + detail;
    case Kind::Insecure: return "insecure registry: " + detail;
  }
  return detail;
}

nlohmann::json Descriptor::toJson() const {
  nlohmann::json j = nlohmann::json::object();
  j["mediaType"] = mediaType;
  j["digest"] = digest;
  j["size"] = size;
  if (!artifactType.empty()) j["artifactType"] = artifactType;
  if (!annotations.empty()) j["annotations"] = annotations;
  return j;
}

std::optional<Descriptor> Descriptor::fromJson(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  Descriptor d;
  auto media = j.find("mediaType");
  auto digest = j.find("digest");
  auto size = j.find("size");
  if (media == j.end() || !media->is_string() || digest == j.end() || !digest->is_string() ||
      size == j.end() || !size->is_number_integer()) {
    return std::nullopt;
  }
  d.mediaType = media->get<std::string>();
  d.digest = digest->get<std::string>();
  d.size = size->get<int64_t>();
  if (d.size < 0 || !isValidDigest(d.digest)) return std::nullopt;
  if (auto at = j.find("artifactType"); at != j.end()) {
    if (!at->is_string()) return std::nullopt;
    d.artifactType = at->get<std::string>();
  }
  if (auto an = j.find("annotations"); an != j.end() && !an->is_null()) {
    if (!an->is_object()) return std::nullopt;
    for (const auto& [k, v] : an->items()) {
      if (!v.is_string()) return std::nullopt;
      d.annotations[k] = v.get<std::string>();
    }
  }
  return d;
}

std::vector<Descriptor> Manifest::layers() const {
  std::vector<Descriptor> out;
  if (!json.is_object()) return out;
  auto it = json.find("layers");
  if (it == json.end() || !it->is_array()) return out;
  for (const auto& layer : *it) {
    if (auto d = Descriptor::fromJson(layer)) out.push_back(*d);
  }
  return out;
}

std::string Manifest::artifactType() const {
  if (!json.is_object()) return "";
  if (auto it = json.find("artifactType"); it != json.end() && it->is_string()) return it->get<std::string>();
  // Older artifacts carry the type as the config's media type.
  if (auto config = json.find("config"); config != json.end() && config->is_object()) {
    auto media = config->find("mediaType");
    if (media != config->end() && media->is_string() && *media != kEmptyConfigMediaType) {
      return media->get<std::string>();
    }
  }
  return "";
}

std::map<std::string, std::string> Manifest::annotations() const {
  std::map<std::string, std::string> out;
  if (!json.is_object()) return out;
  auto it = json.find("annotations");
  if (it == json.end() || !it->is_object()) return out;
  for (const auto& [k, v] : it->items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

std::vector<std::string> insecureRegistriesFromEnv() {
  std::vector<std::string> out;
  const char* env = std::getenv("ORK_INSECURE_REGISTRIES");
  if (!env) return out;
  std::string_view text(env);
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace ork::sources
