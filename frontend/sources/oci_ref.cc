// Command references (FORMATS.md §11.2, §11.3, §10.5): `host[:port]/path[:tag][@sha256:…]`, bare names
// under a default base, and `oci-layout:<dir>[:tag|@tag|@sha256:…]`.
#include <cctype>

#include "frontend/sources/oci.h"

namespace ork::sources {
namespace {

constexpr std::string_view kLayoutPrefix = "oci-layout:";

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component of the distribution spec: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool validComponent(std::string_view c) {
  if (c.empty() || !isLowerAlnum(c.front()) || !isLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (isLowerAlnum(c[i])) continue;
    if (c[i] == '-') continue;
    if (c[i] == '.' || c[i] == '_') {
      bool doubleUnderscore = c[i] == '_' && i + 1 < c.size() && c[i + 1] == '_';
      size_t next = i + (doubleUnderscore ? 2 : 1);
      if (next >= c.size() || !isLowerAlnum(c[next])) return false;
      i = next - 1;
      continue;
    }
    return false;
  }
  return true;
}

bool validRepository(std::string_view repo) {
  if (repo.empty() || repo.size() > 255) return false;
  size_t start = 0;
  while (true) {
    size_t slash = repo.find('/', start);
    if (!validComponent(repo.substr(start, slash - start))) return false;
    if (slash == std::string_view::npos) return true;
    start = slash + 1;
  }
}

// [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
bool validTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 128) return false;
  for (size_t i = 0; i < tag.size(); ++i) {
    auto c = static_cast<unsigned char>(tag[i]);
    bool word = std::isalnum(c) || c == '_';
    if (!word && (i == 0 || (c != '.' && c != '-'))) return false;
  }
  return true;
}

bool validHost(std::string_view host) {
  if (host.empty()) return false;
  std::string_view name = host;
  size_t colon = host.rfind(':');
  if (host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    colon = close + 1 < host.size() ? close + 1 : std::string_view::npos;
    if (colon != std::string_view::npos && host[colon] != ':') return false;
    name = host.substr(0, close + 1);
  } else if (colon != std::string_view::npos) {
    name = host.substr(0, colon);
  }
  if (colon != std::string_view::npos) {
    std::string_view port = host.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  if (name.front() == '[') return true;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return false;
  }
  return !name.empty() && name.front() != '.' && name.front() != '-';
}

// Splits a trailing `@sha256:…` digest and a tag off `text`. `atTag` also reads `@tag` (layout imports).
bool splitTagAndDigest(std::string& text, std::string& tag, std::string& digest, bool atTag,
                       std::string* error) {
  size_t at = text.rfind('@');
  if (at != std::string::npos && text.find('/', at) == std::string::npos) {
    std::string after = text.substr(at + 1);
    if (after.rfind("sha256:", 0) == 0 || after.find(':') != std::string::npos) {
      if (!isValidDigest(after)) {
        if (error) *error = "invalid digest \"" + after + "\" (want sha256: and 64 lowercase hex digits)";
        return false;
      }
      digest = after;
      text.resize(at);
    } else if (atTag) {
      tag = after;
      text.resize(at);
    } else {
      if (error) *error = "'@' is only for @sha256: digests; tags follow ':'";
      return false;
    }
  }
  if (tag.empty()) {
    size_t slash = text.rfind('/');
    size_t colon = text.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      tag = text.substr(colon + 1);
      text.resize(colon);
    }
  }
  if (!tag.empty() && !validTag(tag)) {
    if (error) *error = "invalid tag \"" + tag + "\"";
    return false;
  }
  return true;
}

std::optional<OciRef> parseLayout(std::string rest, std::string* error) {
  OciRef ref;
  ref.layout = true;
  // A ':' or '@' in the directory part only counts in the last path segment (§10.5).
  if (!splitTagAndDigest(rest, ref.tag, ref.digest, true, error)) return std::nullopt;
  if (rest.empty()) {
    if (error) *error = "oci-layout: needs a directory";
    return std::nullopt;
  }
  ref.layoutDir = rest;
  return ref;
}

bool isHostSegment(std::string_view segment) {
  return segment.find('.') != std::string_view::npos || segment.find(':') != std::string_view::npos ||
         segment == "localhost";
}

}  // namespace

std::string OciRef::str() const {
  std::string out = layout ? std::string(kLayoutPrefix) + layoutDir : registry + "/" + repository;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

std::optional<OciRef> parseOciRef(std::string_view input, std::string_view defaultBase, std::string* error) {
  std::string text(input);
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) {
      if (error) *error = "invalid reference \"" + text + "\": whitespace or control character";
      return std::nullopt;
    }
  }
  if (text.rfind("oci://", 0) == 0) text = text.substr(6);
  if (text.rfind(kLayoutPrefix, 0) == 0) return parseLayout(text.substr(kLayoutPrefix.size()), error);
  if (text.empty()) {
    if (error) *error = "empty reference";
    return std::nullopt;
  }
  std::string why;
  OciRef ref;
  if (!splitTagAndDigest(text, ref.tag, ref.digest, false, &why)) {
    if (error) *error = "invalid reference \"" + std::string(input) + "\": " + why;
    return std::nullopt;
  }
  size_t slash = text.find('/');
  if (slash != std::string::npos && isHostSegment(std::string_view(text).substr(0, slash))) {
    ref.registry = text.substr(0, slash);
    ref.repository = text.substr(slash + 1);
  } else {
    // A bare name: under the default base (a registry path or an oci-layout: directory).
    std::string base(defaultBase);
    while (!base.empty() && base.back() == '/') base.pop_back();
    if (base.empty()) {
      if (error)
        *error = "invalid reference \"" + std::string(input) + "\": no registry host and no default registry";
      return std::nullopt;
    }
    if (base.rfind(kLayoutPrefix, 0) == 0) {
      ref.layout = true;
      ref.layoutDir = base.substr(kLayoutPrefix.size()) + "/" + text;
      return ref;
    }
    if (base.rfind("oci://", 0) == 0) base = base.substr(6);
    size_t baseSlash = base.find('/');
    ref.registry = base.substr(0, baseSlash);
    ref.repository = baseSlash == std::string::npos ? text : base.substr(baseSlash + 1) + "/" + text;
  }
  if (!validHost(ref.registry)) {
    if (error)
      *error =
          "invalid reference \"" + std::string(input) + "\": invalid registry host \"" + ref.registry + "\"";
    return std::nullopt;
  }
  if (!validRepository(ref.repository)) {
    if (error) {
      *error = "invalid reference \"" + std::string(input) + "\": invalid repository \"" + ref.repository +
               "\" (lowercase letters, digits and . _ __ - separators, / between components)";
    }
    return std::nullopt;
  }
  return ref;
}

}  // namespace ork::sources
