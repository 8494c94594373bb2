// ImportResolver: how the load-imports pass turns an import (registry pattern, HTTPS file, motif ref,
// local path) into files on disk. LocalImportResolver serves local paths (a test double); the registry
// resolver (registry_resolver.h) fetches the rest. Also the URL and motif-ref readers of FORMATS.md §8.2/§10.1.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/module.h"
#include "support/diagnostics.h"
#include "support/filesystem.h"

namespace ork::passes {

/// Where a registry import or motif ref lives (FORMATS.md §10.1 "Source kind").
enum class SourceKind { Oci, OciLayout, GitHub, GitLab, Git, Https };

/// "OCI", "OCI layout", "GitHub", "GitLab", "Git", "HTTPS".
std::string_view sourceKindName(SourceKind k);

/// A registry URL read by FORMATS.md §10.1 steps 1–5.
struct RegistryRef {
  SourceKind kind = SourceKind::Oci;
  std::string url;      // clean URL without version (for an invalid URL: the text as far as it was read)
  std::string version;  // tag, branch, commit, or "sha256:<hex>"
  bool digest = false;  // pinned by `@sha256:<64 hex>`
  bool valid = true;    // false: step 1 rejected it → "invalid URL"
  /// `version:` was set and differs from the version the URL names (it is ignored; warning).
  bool versionFieldIgnored = false;

  /// `registry "<url>"@<version>` — the prefix of every message about this import (§10.3).
  std::string display() const;
  /// `registry:<url>@<version>` — the Origin of the CRDs it defines.
  std::string source() const;
  /// The URL compared with policy.allowedRegistries: without scheme and version (§9.5).
  std::string policyUrl() const;
};

/// Reads a registry import URL (§10.1). `versionField` is `version:` ("" when unset); `oci` is
/// `oci: true`; `gitlabHosts` extends the GitLab host rule (ORK_GITLAB_HOSTS). Never fails: a
/// malformed URL comes back with `valid == false`.
RegistryRef parseRegistryUrl(std::string_view url, std::string_view versionField, bool oci,
                             const std::vector<std::string>& gitlabHosts = {});

/// The kinds of motif refs, in the order FORMATS.md §8.2 tries them.
enum class MotifRefKind { Local, OciLayout, Git, Oci, Bare };

/// A motif ref read by FORMATS.md §8.2.
struct MotifRef {
  MotifRefKind kind = MotifRefKind::Local;
  std::string written;   // the ref as written
  std::string location;  // local path; layout dir; Git URL; OCI repository (bare names: under the motifs registry)
  std::string version;   // "" for local refs; else the §8.2 version (latest, or main for Git)
  bool digest = false;

  bool network() const { return kind == MotifRefKind::Git || kind == MotifRefKind::Oci || kind == MotifRefKind::Bare; }
  /// `motif "<ref>"` (local) or `motif "<location>"@<version>`.
  std::string display() const;
  /// `motif:<ref>` (local) or `motif:<location>@<version>`.
  std::string source() const;
  /// The URL compared with policy.allowedRegistries (no scheme, no version).
  std::string policyUrl() const;
};

/// Classifies a motif ref (§8.2): a local path (`./`, `../`, `/`, or ending in `.yaml`/`.yml`), an
/// `oci-layout:` ref, a Git URL (`https://`), an OCI reference (`oci://`, a first segment with `.`
/// or `:` or `localhost`, or `oci: true`), else a bare name under `motifsRegistry`.
MotifRef classifyMotifRef(std::string_view ref, std::string_view versionField, bool oci,
                          std::string_view motifsRegistry);

/// $ORK_MOTIFS_REGISTRY, else ghcr.io/orkspace/orkestra-registry/patterns/motifs (§16).
std::string defaultMotifsRegistry();
/// $ORK_GITLAB_HOSTS split on commas.
std::vector<std::string> gitlabHostsFromEnv();

/// An `oci-layout:` registry import or motif ref (§10.5), as load-imports hands it to fetchLayout.
struct LayoutRequest {
  std::string display;  // `registry "oci-layout:./registry/pg"@v14` / `motif "oci-layout:…"@v1`
  std::string written;  // the ref as written, without version (`oci-layout:./registry/pg`): ork.lock's url
  std::string dir;      // the layout directory, resolved against the declaring file
  std::string version;  // tag or `sha256:<hex>`
  bool motif = false;   // a motif ref (a Motif artifact) rather than a registry import (a pattern)
  Span at;
};

/// Resolves imports to local files. Methods report their own diagnostics (at `at`, with the
/// import's display prefix) and return nullopt on failure; they never throw.
class ImportResolver {
 public:
  virtual ~ImportResolver() = default;

  /// The file system local paths and fetched copies are read from.
  virtual const FileSystem& fileSystem() const = 0;
  /// The base of bare motif names.
  virtual std::string motifsRegistry() const { return defaultMotifsRegistry(); }
  /// Extra GitLab hosts for §10.1's source-kind rule.
  virtual std::vector<std::string> gitlabHosts() const { return gitlabHostsFromEnv(); }

  /// A local path named in `declaringFile` (FORMATS.md §1 "Paths": relative to its directory).
  virtual std::string resolveLocal(const std::string& declaringFile, const std::string& path) const;

  /// Names where the import the next fetch serves is written — ork.lock's `usedBy` (§10.4):
  /// `imports.registry[0]`, `imports.files[1]`, `spec.crds.<crd>.imports[<i>]`, `spec.crds.<crd>.crdFile`,
  /// prefixed by `<source> ` (`registry:<url>@<version> `, `file:<path> `) for documents an import
  /// brought in. load-imports calls it before each fetch; resolvers without a lock ignore it.
  virtual void setImportSite(const std::string& usedBy) { (void)usedBy; }

  /// Fetches a registry pattern (a valid `ref`); returns the directory holding its files.
  virtual std::optional<std::string> fetchPattern(const RegistryRef& ref, const ir::RegistryImport& import,
                                                  DiagnosticEngine& diags) = 0;
  /// Fetches a network motif (Git, OCI, bare name); returns the directory holding motif.yaml.
  virtual std::optional<std::string> fetchMotif(const MotifRef& ref, const ir::MotifImport& import,
                                                DiagnosticEngine& diags) = 0;
  /// Fetches one HTTPS file (`imports.files` url, `crdFile` url); returns its local copy.
  /// `what` names it in messages (`file "https://…"`, `crdFile "https://…"`).
  virtual std::optional<std::string> fetchFile(const std::string& url, const std::optional<ir::ImportAuth>& auth,
                                               std::string_view what, Span at, DiagnosticEngine& diags) = 0;
  /// Resolves an `oci-layout:` registry import or motif ref to a directory.
  virtual std::optional<std::string> fetchLayout(const LayoutRequest& request, DiagnosticEngine& diags) = 0;
};

/// Serves local paths from a FileSystem; every network or layout source is reported as
/// RemoteImportUnavailable (ORK1209). A test double: commands use RegistryImportResolver.
class LocalImportResolver : public ImportResolver {
 public:
  explicit LocalImportResolver(const FileSystem& fs = realFileSystem()) : fs_(fs) {}
  const FileSystem& fileSystem() const override { return fs_; }
  std::optional<std::string> fetchPattern(const RegistryRef& ref, const ir::RegistryImport& import,
                                          DiagnosticEngine& diags) override;
  std::optional<std::string> fetchMotif(const MotifRef& ref, const ir::MotifImport& import,
                                        DiagnosticEngine& diags) override;
  std::optional<std::string> fetchFile(const std::string& url, const std::optional<ir::ImportAuth>& auth,
                                       std::string_view what, Span at, DiagnosticEngine& diags) override;
  std::optional<std::string> fetchLayout(const LayoutRequest& request, DiagnosticEngine& diags) override;

 private:
  const FileSystem& fs_;
};

/// Reports the §10.3 `invalid URL` error of a registry import: `<display>: invalid URL`
/// (ORK1210) at `at`, with the help line "Remove scheme prefix or fix the URL".
Diagnostic& reportInvalidUrl(const RegistryRef& ref, Span at, DiagnosticEngine& diags);

}  // namespace ork::passes
