// RegistryImportResolver (registry_resolver.h): every import that is not a local path becomes a
// sources::FetchRequest, pinned by ork.lock, fetched once (prefetch runs them in parallel), checked
// against the lock and recorded in it; failures are reported at the import (FORMATS.md §10.2–§10.5).
#include "passes/registry_resolver.h"

#include <set>

#include "passes/check_lifecycle.h"
#include "support/strings.h"

namespace ork::passes {
namespace {

using sources::FetchFailure;
using sources::FetchKind;
using sources::FetchRequest;
using sources::FetchResult;
using sources::LockEntry;

Span preferred(Span a, Span b) { return a.valid() ? a : b; }

bool isUrl(std::string_view s) { return startsWith(s, "https://") || startsWith(s, "http://"); }

std::string requestKey(const FetchRequest& r) {
  std::string key = std::string(sources::lockKind(r.kind)) + '\x1f' + r.url + '\x1f' + r.version + '\x1f' +
                    r.pinned + '\x1f' + (r.motif ? "motif" : "pattern");
  if (r.auth)
    key += '\x1f' + r.auth->type + '\x1f' + r.auth->fromEnv + '\x1f' + r.auth->usernameFromEnv + '\x1f' +
           r.auth->passwordFromEnv;
  return key;
}

DiagCode failureCode(FetchFailure::Kind kind) {
  switch (kind) {
    case FetchFailure::Kind::NotFound: return DiagCode::ReferenceNotFound;
    case FetchFailure::Kind::Unauthorized: return DiagCode::AuthenticationRequired;
    case FetchFailure::Kind::Forbidden: return DiagCode::AccessDenied;
    case FetchFailure::Kind::Status: return DiagCode::UnexpectedStatus;
    case FetchFailure::Kind::Network: return DiagCode::NetworkError;
    case FetchFailure::Kind::DigestMismatch: return DiagCode::DigestMismatch;
    case FetchFailure::Kind::TooLarge: return DiagCode::ContentTooLarge;
    case FetchFailure::Kind::Invalid: return DiagCode::InvalidArtifact;
    case FetchFailure::Kind::Insecure: return DiagCode::InsecureRegistry;
    case FetchFailure::Kind::AuthConfig: return DiagCode::ImportAuthConfig;
    case FetchFailure::Kind::Offline: return DiagCode::OfflineMissing;
    case FetchFailure::Kind::Cache: return DiagCode::CacheUnusable;
  }
  return DiagCode::NetworkError;
}

FetchKind fetchKind(SourceKind kind) {
  switch (kind) {
    case SourceKind::Oci: return FetchKind::Oci;
    case SourceKind::OciLayout: return FetchKind::OciLayout;
    case SourceKind::GitHub: return FetchKind::GitHub;
    case SourceKind::GitLab: return FetchKind::GitLab;
    case SourceKind::Git: return FetchKind::Git;
    case SourceKind::Https: return FetchKind::Https;
  }
  return FetchKind::Oci;
}

std::optional<sources::AuthSpec> authSpec(const std::optional<ir::ImportAuth>& auth) {
  if (!auth) return std::nullopt;
  return sources::AuthSpec{auth->type, auth->fromEnv, auth->usernameFromEnv, auth->passwordFromEnv};
}

FetchRequest patternRequest(const RegistryRef& ref, const ir::RegistryImport& import) {
  FetchRequest r;
  r.kind = fetchKind(ref.kind);
  r.url = ref.url;
  r.version = ref.version;
  r.auth = authSpec(import.auth);
  return r;
}

/// OCI and bare refs are OCI artifacts; Git refs go by the §10.1 host rule (GitHub, GitLab, Git).
FetchRequest motifRequest(const MotifRef& ref, const ir::MotifImport& import,
                          const std::vector<std::string>& gitlabHosts) {
  FetchRequest r;
  r.kind = ref.kind == MotifRefKind::Git
               ? fetchKind(parseRegistryUrl(ref.location, "", false, gitlabHosts).kind)
               : FetchKind::Oci;
  r.url = ref.location;
  r.version = ref.version;
  r.motif = true;
  r.auth = authSpec(import.auth);
  return r;
}

FetchRequest fileRequest(const std::string& url, const std::optional<ir::ImportAuth>& auth) {
  FetchRequest r;
  r.kind = FetchKind::Https;
  r.url = url;
  r.auth = authSpec(auth);
  return r;
}

/// The place of an import in its document (`imports.registry[0]`) from its usedBy, without the
/// `<source> ` prefix of transitive imports (places hold no spaces).
std::string placeOf(const std::string& usedBy) {
  size_t space = usedBy.rfind(' ');
  return space == std::string::npos ? usedBy : usedBy.substr(space + 1);
}

std::string hostOf(const std::string& ociUrl) { return ociUrl.substr(0, ociUrl.find('/')); }

}  // namespace

RegistryImportResolver::RegistryImportResolver(const FileSystem& fs, sources::Fetcher& fetcher,
                                               LockSession& lock)
    : fs_(fs), fetcher_(fetcher), lock_(lock) {}

std::optional<FetchResult> RegistryImportResolver::fetchOnce(const FetchRequest& request,
                                                             FetchFailure* failure) {
  std::string key = requestKey(request);
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (auto it = failed_.find(key); it != failed_.end()) {
      *failure = it->second;
      return std::nullopt;
    }
  }
  std::optional<FetchResult> result = fetcher_.fetch(request, failure);
  std::lock_guard<std::mutex> guard(mu_);
  if (result)
    memo_[key] = *result;
  else
    failed_[key] = *failure;
  return result;
}

std::optional<std::string> RegistryImportResolver::resolve(FetchRequest request, const std::string& lockUrl,
                                                           const std::string& display, Span at,
                                                           const std::string& nodePath,
                                                           DiagnosticEngine& diags) {
  std::string kind = sources::lockKind(request.kind);
  const LockEntry* entry = lock_.pinned(kind, lockUrl, request.version);
  if (!entry && lock_.options().locked) {
    diags.report(DiagCode::LockWouldChange, at, display + ": not in ork.lock; run without --locked to add it")
        .path = nodePath;
    return std::nullopt;
  }
  if (entry) request.pinned = entry->resolved;
  FetchFailure failure;
  std::optional<FetchResult> result = fetchOnce(request, &failure);
  if (!result) {
    Diagnostic& d = diags.report(failureCode(failure.kind), at, display + ": " + failure.message());
    d.path = nodePath;
    d.help = failure.help();
    if (failure.kind == FetchFailure::Kind::Unauthorized && request.kind == FetchKind::Oci && !request.auth)
      diags.note(
          {},
          "without an auth block, registry credentials come from the Docker configuration: docker login " +
              hostOf(request.url));
    return std::nullopt;
  }
  if (entry) {
    // Fetched by the locked digest or commit: any file that hashes differently means the lock or
    // the source changed under it — always an error (§10.4).
    bool mismatch = false;
    auto differs = [&](const std::string& file, const std::string& got, const std::string& locked) {
      mismatch = true;
      diags
          .report(DiagCode::LockMismatch, at,
                  display + ": " + file + " has digest " + got + " but ork.lock records " + locked)
          .path = nodePath;
      diags.help("if the change is intended, run with --refresh to record the new content in ork.lock");
    };
    if (request.kind == FetchKind::Https && result->resolved != entry->resolved)
      differs(baseName(request.url), result->resolved, entry->resolved);
    for (const auto& [file, digest] : result->files) {
      auto it = entry->files.find(file);
      if (it != entry->files.end() && it->second != digest) differs(file, digest, it->second);
    }
    if (mismatch) return std::nullopt;
  }
  lock_.record(LockEntry{kind, lockUrl, request.version, result->resolved, result->files, {site_}});
  return result->path;
}

std::optional<std::string> RegistryImportResolver::fetchPattern(const RegistryRef& ref,
                                                                const ir::RegistryImport& import,
                                                                DiagnosticEngine& diags) {
  return resolve(patternRequest(ref, import), ref.url, ref.display(), preferred(import.url.span, import.span),
                 placeOf(site_), diags);
}

std::optional<std::string> RegistryImportResolver::fetchMotif(const MotifRef& ref,
                                                              const ir::MotifImport& import,
                                                              DiagnosticEngine& diags) {
  return resolve(motifRequest(ref, import, gitlabHosts()), ref.location, ref.display(),
                 preferred(import.ref.span, import.span), placeOf(site_) + ".motif", diags);
}

std::optional<std::string> RegistryImportResolver::fetchFile(const std::string& url,
                                                             const std::optional<ir::ImportAuth>& auth,
                                                             std::string_view what, Span at,
                                                             DiagnosticEngine& diags) {
  return resolve(fileRequest(url, auth), url, std::string(what) + " \"" + url + "\"", at, placeOf(site_),
                 diags);
}

std::optional<std::string> RegistryImportResolver::fetchLayout(const LayoutRequest& layout,
                                                               DiagnosticEngine& diags) {
  FetchRequest r;
  r.kind = FetchKind::OciLayout;
  r.url = layout.dir;
  r.version = layout.version;
  r.motif = layout.motif;
  return resolve(r, layout.written, layout.display, layout.at,
                 placeOf(site_) + (layout.motif ? ".motif" : ""), diags);
}

void RegistryImportResolver::prefetch(
    const ir::Module& module, int parallelism,
    const std::function<void(size_t, size_t, const std::string&)>& progress) {
  std::vector<FetchRequest> requests;
  std::vector<std::string> labels;
  std::set<std::string> keys;
  auto add = [&](FetchRequest r, const std::string& lockUrl, const std::string& label) {
    const LockEntry* entry = lock_.pinned(sources::lockKind(r.kind), lockUrl, r.version);
    if (!entry && lock_.options().locked) return;  // reported by load-imports, never fetched
    if (entry) r.pinned = entry->resolved;
    std::string key = requestKey(r);
    {
      std::lock_guard<std::mutex> guard(mu_);
      if (memo_.count(key) || failed_.count(key)) return;
    }
    if (!keys.insert(key).second) return;
    requests.push_back(std::move(r));
    labels.push_back(label);
  };

  std::vector<size_t> entries = module.entryDocuments;
  if (entries.empty())
    for (size_t i = 0; i < module.documents.size(); ++i) entries.push_back(i);
  std::vector<std::string> gitlab = gitlabHosts();
  std::string motifs = motifsRegistry();
  for (size_t i : entries) {
    const ir::Document& doc = *module.documents[i];
    const ir::Policy* policy = allowedRegistriesPolicy(doc);
    auto allowed = [&](const std::string& url) {
      return !policy || url.empty() || registryAllowed(url, policy->allowedRegistries);
    };
    for (const ir::RegistryImport& imp : doc.registryImports) {
      RegistryRef ref = parseRegistryUrl(imp.url.value, imp.version, imp.oci, gitlab);
      if (!ref.valid || ref.kind == SourceKind::OciLayout || !allowed(ref.policyUrl())) continue;
      add(patternRequest(ref, imp), ref.url, ref.display());
    }
    for (const ir::FileImport& imp : doc.fileImports) {
      const std::string& url = imp.path.value;
      if (!isUrl(url) || !allowed(url.substr(url.find("://") + 3))) continue;
      add(fileRequest(url, imp.auth), url, "file \"" + url + "\"");
    }
    for (const ir::CrdEntry& crd : doc.crds) {
      for (const ir::MotifImport& imp : crd.imports) {
        if (imp.ref.value.empty()) continue;
        MotifRef ref = classifyMotifRef(imp.ref.value, imp.version, imp.oci, motifs);
        if (!ref.network() || !allowed(ref.policyUrl())) continue;
        add(motifRequest(ref, imp, gitlab), ref.location, ref.display());
      }
      const std::string& crdFile = crd.crdFile.value;
      if (isUrl(crdFile) && allowed(crdFile.substr(crdFile.find("://") + 3)))
        add(fileRequest(crdFile, std::nullopt), crdFile, "crdFile \"" + crdFile + "\"");
    }
  }
  if (requests.empty()) return;

  size_t done = 0;
  std::vector<FetchFailure> failures;
  std::vector<std::optional<FetchResult>> results =
      fetcher_.fetchAll(requests, &failures, parallelism,
                        [&](size_t index, const std::optional<FetchResult>&, const FetchFailure&) {
                          if (progress) progress(++done, requests.size(), labels[index]);
                        });
  std::lock_guard<std::mutex> guard(mu_);
  for (size_t i = 0; i < requests.size(); ++i) {
    if (results[i])
      memo_[requestKey(requests[i])] = *results[i];
    else
      failed_[requestKey(requests[i])] = failures[i];
  }
}

}  // namespace ork::passes
