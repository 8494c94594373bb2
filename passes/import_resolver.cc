// Reading registry URLs and motif refs (FORMATS.md §8.2, §10.1) and the local-only resolver.
#include "passes/import_resolver.h"

#include <cctype>
#include <cstdlib>

#include "support/strings.h"

namespace ork::passes {
namespace {

constexpr std::string_view kOciScheme = "oci://";
constexpr std::string_view kLayoutPrefix = "oci-layout:";
constexpr std::string_view kDefaultMotifsRegistry = "ghcr.io/orkspace/orkestra-registry/patterns/motifs";

bool isHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

bool hasWhitespace(std::string_view s) {
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c))) return true;
  return false;
}

/// Whether a `/`-separated segment of `path` is `.` or `..` (a path that could step out of an allowed
/// registry prefix).
bool hasDotSegment(std::string_view path) {
  for (const std::string& seg : split(path, '/'))
    if (seg == "." || seg == "..") return true;
  return false;
}

std::string stripScheme(std::string_view url) {
  size_t p = url.find("://");
  return std::string(p == std::string_view::npos ? url : url.substr(p + 3));
}

/// A version taken from the text itself (§10.1 steps 2–4 / §8.2), splitting `rest` in place.
struct SplitVersion {
  std::string version;
  bool digest = false;
  bool found = false;
};

/// Steps 2–4: a trailing `@sha256:<hex>`, else the last `@`, else (when `tagInLastSegment`)
/// a `:` in the last path segment. `minSlashes` is how many `/` must precede a tag colon
/// (a lone `localhost:5000` names a host, not a tag).
SplitVersion splitVersion(std::string& rest, bool tagInLastSegment, size_t minSlashes) {
  SplitVersion out;
  size_t at = rest.rfind('@');
  if (at != std::string::npos) {
    std::string right = rest.substr(at + 1);
    out.found = true;
    out.digest = startsWith(right, "sha256:") && isHex64(right.substr(7));
    out.version = right;
    rest.resize(at);
    return out;
  }
  if (!tagInLastSegment) return out;
  size_t slash = rest.rfind('/');
  size_t slashes = 0;
  for (char c : rest) slashes += c == '/';
  if (slashes < minSlashes) return out;
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    out.found = true;
    out.version = rest.substr(colon + 1);
    rest.resize(colon);
  }
  return out;
}

bool isGitLabHost(const std::string& host, const std::vector<std::string>& extra) {
  if (host == "gitlab.com" || startsWith(host, "gitlab.")) return true;
  for (const std::string& h : extra)
    if (h == host) return true;
  return false;
}

SourceKind schemeSourceKind(const std::string& url, const std::vector<std::string>& gitlabHosts) {
  std::string noScheme = stripScheme(url);
  size_t slash = noScheme.find('/');
  std::string host = noScheme.substr(0, slash);
  std::string path = slash == std::string::npos ? "" : noScheme.substr(slash);
  size_t sub = path.find("//");
  std::string repoPath = sub == std::string::npos ? path : path.substr(0, sub);
  if (endsWith(repoPath, ".git")) return SourceKind::Git;
  if (host == "github.com") return SourceKind::GitHub;
  if (isGitLabHost(host, gitlabHosts)) return SourceKind::GitLab;
  return SourceKind::Git;
}

}  // namespace

std::string_view sourceKindName(SourceKind k) {
  switch (k) {
    case SourceKind::Oci: return "OCI";
    case SourceKind::OciLayout: return "OCI layout";
    case SourceKind::GitHub: return "GitHub";
    case SourceKind::GitLab: return "GitLab";
    case SourceKind::Git: return "Git";
    case SourceKind::Https: return "HTTPS";
  }
  return "OCI";
}

std::string RegistryRef::display() const { return "registry \"" + url + "\"@" + version; }
std::string RegistryRef::source() const { return "registry:" + url + "@" + version; }
std::string RegistryRef::policyUrl() const {
  if (kind == SourceKind::OciLayout) return "";
  return stripScheme(url);
}

RegistryRef parseRegistryUrl(std::string_view urlText, std::string_view versionField, bool oci,
                             const std::vector<std::string>& gitlabHosts) {
  RegistryRef r;
  std::string rest(urlText);
  bool layout = startsWith(rest, kLayoutPrefix);
  bool ociPrefix = startsWith(rest, kOciScheme);
  size_t schemeEnd = rest.find("://");
  bool scheme = !layout && !ociPrefix && schemeEnd != std::string::npos;

  // Step 1: whitespace, an oci:// prefix, user info, an unknown scheme, or a scheme with oci: true.
  if (rest.empty() || hasWhitespace(rest) || ociPrefix) r.valid = false;
  if (scheme) {
    std::string name = toLower(rest.substr(0, schemeEnd));
    size_t authEnd = rest.find('/', schemeEnd + 3);
    std::string authority = rest.substr(schemeEnd + 3, authEnd == std::string::npos ? std::string::npos
                                                                                     : authEnd - schemeEnd - 3);
    if ((name != "https" && name != "http") || oci || authority.empty() ||
        authority.find('@') != std::string::npos)
      r.valid = false;
  }

  // Steps 2–4 (an invalid URL is read as far as possible, for the message prefix).
  std::string prefix;
  if (layout) {
    prefix = std::string(kLayoutPrefix);
    rest = rest.substr(kLayoutPrefix.size());
  } else if (ociPrefix) {
    prefix = std::string(kOciScheme);
    rest = rest.substr(kOciScheme.size());
  }
  SplitVersion v = splitVersion(rest, !scheme, layout ? 0 : 1);
  if (v.found && v.version.empty()) r.valid = false;
  // `.` / `..` path segments are refused too (§10.1 step 1 in spirit): they could leave an allowed prefix.
  if (!layout && hasDotSegment(scheme ? stripScheme(rest) : rest)) r.valid = false;
  r.url = prefix + rest;
  if (v.found) {
    r.version = v.version;
    r.digest = v.digest;
    r.versionFieldIgnored = !versionField.empty() && versionField != v.version;
  } else {
    // Step 5.
    r.version = !versionField.empty() ? std::string(versionField) : scheme ? "main" : "latest";
  }
  if (layout) r.kind = SourceKind::OciLayout;
  else if (scheme) r.kind = schemeSourceKind(r.url, gitlabHosts);
  else r.kind = SourceKind::Oci;
  return r;
}

std::string MotifRef::display() const {
  if (kind == MotifRefKind::Local) return "motif \"" + written + "\"";
  return "motif \"" + location + "\"@" + version;
}

std::string MotifRef::source() const {
  if (kind == MotifRefKind::Local) return "motif:" + written;
  return "motif:" + location + "@" + version;
}

std::string MotifRef::policyUrl() const {
  switch (kind) {
    case MotifRefKind::Local:
    case MotifRefKind::OciLayout: return "";
    case MotifRefKind::Git: return stripScheme(location);
    case MotifRefKind::Oci:
    case MotifRefKind::Bare: return location;
  }
  return "";
}

MotifRef classifyMotifRef(std::string_view refText, std::string_view versionField, bool oci,
                          std::string_view motifsRegistry) {
  MotifRef m;
  m.written = std::string(refText);
  std::string rest = m.written;
  if (startsWith(rest, "./") || startsWith(rest, "../") || startsWith(rest, "/") || endsWith(rest, ".yaml") ||
      endsWith(rest, ".yml")) {
    m.kind = MotifRefKind::Local;
    m.location = rest;
    return m;
  }
  std::string prefix;
  bool tagRule = true;
  size_t minSlashes = 0;
  if (startsWith(rest, kLayoutPrefix)) {
    m.kind = MotifRefKind::OciLayout;
    prefix = std::string(kLayoutPrefix);
    rest = rest.substr(kLayoutPrefix.size());
  } else if (startsWith(rest, "https://") || startsWith(rest, "http://")) {
    m.kind = MotifRefKind::Git;
    tagRule = false;
  } else if (startsWith(rest, kOciScheme)) {
    m.kind = MotifRefKind::Oci;
    rest = rest.substr(kOciScheme.size());
    minSlashes = 1;
  } else {
    size_t slash = rest.find('/');
    std::string first = slash == std::string::npos ? "" : rest.substr(0, slash);
    bool registryHost = first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
                        first == "localhost";
    m.kind = (registryHost || oci) ? MotifRefKind::Oci : MotifRefKind::Bare;
    minSlashes = m.kind == MotifRefKind::Oci ? 1 : 0;
  }
  SplitVersion v = splitVersion(rest, tagRule, minSlashes);
  if (v.found) {
    m.version = v.version;
    m.digest = v.digest;
  } else {
    m.version = !versionField.empty() ? std::string(versionField)
                : m.kind == MotifRefKind::Git ? "main" : "latest";
  }
  m.location = m.kind == MotifRefKind::Bare ? std::string(motifsRegistry) + "/" + rest : prefix + rest;
  return m;
}

std::string defaultMotifsRegistry() {
  const char* env = std::getenv("ORK_MOTIFS_REGISTRY");
  if (env && *env) return env;
  return std::string(kDefaultMotifsRegistry);
}

std::vector<std::string> gitlabHostsFromEnv() {
  std::vector<std::string> out;
  const char* env = std::getenv("ORK_GITLAB_HOSTS");
  if (!env) return out;
  for (const std::string& h : split(env, ',')) {
    std::string t(trim(h));
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

std::string ImportResolver::resolveLocal(const std::string& declaringFile, const std::string& path) const {
  return joinPath(parentDir(declaringFile), path);
}

namespace {

void reportUnavailable(DiagnosticEngine& diags, Span at, const std::string& display, SourceKind kind,
                       std::string_view help) {
  diags.report(DiagCode::RemoteImportUnavailable, at,
               display + ": " + std::string(sourceKindName(kind)) +
                   " sources cannot be fetched by this resolver (it serves local paths only)");
  diags.help(std::string(help));
}

Span preferred(Span a, Span b) { return a.valid() ? a : b; }

}  // namespace

std::optional<std::string> LocalImportResolver::fetchPattern(const RegistryRef& ref, const ir::RegistryImport& import,
                                                             DiagnosticEngine& diags) {
  reportUnavailable(diags, preferred(import.url.span, import.span), ref.display(), ref.kind,
                    "import the pattern's katalog.yaml from a local copy with imports.files");
  return std::nullopt;
}

std::optional<std::string> LocalImportResolver::fetchMotif(const MotifRef& ref, const ir::MotifImport& import,
                                                           DiagnosticEngine& diags) {
  SourceKind kind = ref.kind == MotifRefKind::Git ? SourceKind::Git : SourceKind::Oci;
  reportUnavailable(diags, preferred(import.ref.span, import.span), ref.display(), kind,
                    "import the motif from a local directory (motif: ./path/to/motif)");
  return std::nullopt;
}

std::optional<std::string> LocalImportResolver::fetchFile(const std::string& url, const std::optional<ir::ImportAuth>&,
                                                          std::string_view what, Span at, DiagnosticEngine& diags) {
  reportUnavailable(diags, at, std::string(what) + " \"" + url + "\"", SourceKind::Https,
                    "download the file and name its local path instead");
  return std::nullopt;
}

std::optional<std::string> LocalImportResolver::fetchLayout(const LayoutRequest& request, DiagnosticEngine& diags) {
  reportUnavailable(diags, request.at, request.display, SourceKind::OciLayout,
                    "import the pattern's files from a local directory instead");
  return std::nullopt;
}

Diagnostic& reportInvalidUrl(const RegistryRef& ref, Span at, DiagnosticEngine& diags) {
  Diagnostic& d = diags.report(DiagCode::InvalidImportUrl, at, ref.display() + ": invalid URL");
  d.help = "Remove scheme prefix or fix the URL";
  return d;
}

}  // namespace ork::passes
