// Content digests of OCI blobs, manifests and cached files (`sha256:<hex>`).
#include <cctype>

#include "frontend/sources/oci.h"
#include "support/template_functions.h"

namespace ork::sources {

std::string sha256Digest(std::string_view bytes) { return "sha256:" + tmpl::sha256Hex(bytes); }

bool isValidDigest(std::string_view digest) {
  constexpr std::string_view prefix = "sha256:";
  if (digest.size() != prefix.size() + 64 || digest.substr(0, prefix.size()) != prefix) return false;
  for (char c : digest.substr(prefix.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace ork::sources
