// `ork push [REF] DIR`: publish a pattern or motif directory as an OCI artifact (FORMATS.md §11.1, §11.2):
// checks, the immutable-tag rule, the publish gates, the upload, and the registry index (§11.4).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>

#include "frontend/sources/artifact.h"
#include "frontend/sources/pattern_index.h"
#include "support/filesystem.h"
#include "support/strings.h"
#include "tools/ork/cli.h"
#include "tools/ork/gates.h"
#include "tools/ork/import_session.h"
#include "tools/ork/push_checks.h"
#include "tools/ork/registry_cli.h"

namespace ork::cli {
namespace {

struct PushOptions {
  std::string first, second;  // [REF] DIR
  bool force = false;
  bool updateMeta = false;
  bool noSimulate = false;
  bool noE2e = false;
  std::string e2eFile;
  std::vector<std::string> insecureRegistries;
};

// RFC 3339 UTC of SOURCE_DATE_EPOCH when set (reproducible artifacts), else of now.
std::optional<std::string> createdTime(std::string* error) {
  int64_t seconds = nowUnix();
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    std::string text(epoch);
    if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
      *error = "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got '" + text + "'";
      return std::nullopt;
    }
    seconds = std::stoll(text);
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf);
}

// The reference to push to (§11.2): REF as given (a bare name under the default registry of the kind),
// or metadata.name:metadata.version; a REF without tag takes metadata.version. Digests are refused.
std::optional<sources::OciRef> pushRef(const std::string& given, const PushDocument& push,
                                       DiagnosticEngine& diags) {
  const ir::Metadata& m = push.doc->metadata;
  auto noVersion = [&](const std::string& what) {
    diags
        .report(DiagCode::PushVersionMismatch, m.name.span,
                push.fileName + ": metadata.version is not set and " + what + "; ork push needs a version")
        .path = "metadata.version";
    diags.help("set metadata.version, or give the tag: ork push " + m.name.value + ":<tag> " + push.dir);
  };
  std::string text = given;
  if (text.empty()) {
    if (m.version.value.empty()) {
      noVersion("no reference was given");
      return std::nullopt;
    }
    text = m.name.value + ":" + m.version.value;
  }
  std::string error;
  std::optional<sources::OciRef> ref = commandRef(text, push.motif, &error);
  if (!ref) {
    diags.report(DiagCode::PushInvalidRef, Span{}, error);
    diags.help(
        "push takes NAME:TAG (under $ORK_REGISTRY, or $ORK_MOTIFS_REGISTRY for motifs), "
        "HOST[:PORT]/PATH:TAG or oci-layout:DIR:TAG");
    return std::nullopt;
  }
  if (!ref->digest.empty()) {
    diags.report(DiagCode::PushInvalidRef, Span{},
                 "cannot push to a digest reference \"" + given + "\": push refs use :tag");
    diags.help("a digest names content that already exists; push to NAME:TAG");
    return std::nullopt;
  }
  std::string repoName = ref->layout ? baseName(ref->layoutDir) : baseName(ref->repository);
  if (repoName == sources::kIndexRepositoryName) {
    diags.report(
        DiagCode::PushInvalidRef, Span{},
        "cannot push to \"" + ref->str() + "\": the repository name 'index' holds the registry index");
    diags.help("choose another repository name for the pattern");
    return std::nullopt;
  }
  if (ref->tag.empty()) {
    if (m.version.value.empty()) {
      noVersion("the reference \"" + given + "\" has no tag");
      return std::nullopt;
    }
    ref->tag = m.version.value;
  }
  return ref;
}

// Layers as (title, digest): what "the same files" means for the immutable-tag rule.
std::vector<std::pair<std::string, std::string>> fileDigests(const std::vector<sources::Descriptor>& layers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& l : layers) {
    auto t = l.annotations.find(sources::kTitleAnnotation);
    out.emplace_back(t == l.annotations.end() ? "" : t->second, l.digest);
  }
  return out;
}

// How a user imports what was pushed: a Komposer's imports.registry entry, or a CRD entry's motif import.
std::string importSnippet(const sources::OciRef& ref, bool motif) {
  std::string url = ref.layout ? "oci-layout:" + ref.layoutDir : ref.registry + "/" + ref.repository;
  if (motif) return "To import it in a CRD entry:\n  imports:\n    - motif: " + url + "@" + ref.tag + "\n";
  return "To import it in a Komposer:\n  imports:\n    registry:\n      - " + url + "@" + ref.tag + "\n";
}

// Where the index of a pushed repository lives: the parent path of a registry repository, or the
// directory holding a layout (its sibling `index` layout).
struct IndexPlace {
  sources::Registry* registry = nullptr;
  std::unique_ptr<sources::Registry> owned;
  std::string parent;  // registry path of the index ("" = the root)
  std::string name;    // the pushed repository's name under `parent`
  std::string display;
};

IndexPlace indexPlace(const sources::OciRef& ref, sources::Registry& registry) {
  IndexPlace p;
  if (ref.layout) {
    std::string root = parentDir(ref.layoutDir);
    p.owned = sources::openLayoutRegistry(root, true);
    p.registry = p.owned.get();
    p.name = baseName(ref.layoutDir);
    p.display = "oci-layout:" + root + "/" + sources::kIndexRepositoryName + ":" + sources::kIndexTag;
    return p;
  }
  p.registry = &registry;
  p.parent = sources::parentRepository(ref.repository);
  p.name = baseName(ref.repository);
  p.display = ref.registry + "/" + sources::joinRepository(p.parent, sources::kIndexRepositoryName) + ":" +
              sources::kIndexTag;
  return p;
}

// §11.4: replace this pattern's row (latestVersion = highest semver tag) and write the index back. A
// failure is only a warning: the pattern itself is pushed.
void updateIndex(const sources::OciRef& ref, sources::Registry& registry, const std::string& now,
                 DiagnosticEngine& diags) {
  IndexPlace place = indexPlace(ref, registry);
  auto warn = [&](const sources::OciError& e) {
    diags.report(DiagCode::IndexUpdateFailed, Span{},
                 "pushed, but the index " + place.display + " was not updated: " + e.message());
    diags.help("ork patterns --no-index lists the registry without it; the next push updates it again");
  };
  sources::PatternIndex index;
  auto current = sources::readPatternIndex(*place.registry, place.parent);
  if (current.ok()) {
    if (*current.value) index = std::move(**current.value);
  } else if (current.error.kind == sources::OciError::Kind::Invalid) {
    diags.report(DiagCode::IndexUnreadable, Span{},
                 "the index " + place.display + " is not a valid ork index (" + current.error.detail +
                     "); it is rebuilt from the registry's repositories");
    auto listed = sources::listPatternsThroughCatalog(*place.registry, place.parent);
    if (listed.ok()) index = std::move(*listed.value);
  } else {
    warn(current.error);
    return;
  }
  auto row = sources::describeRepository(*place.registry, place.parent, place.name);
  if (!row.ok()) {
    warn(row.error);
    return;
  }
  sources::upsertPatternRow(index, std::move(*row.value));
  index.updatedAt = now;
  auto written = sources::writePatternIndex(*place.registry, place.parent, index);
  if (!written.ok()) {
    warn(written.error);
    return;
  }
  std::cout << "  Index:   " << place.display << " (" << index.patterns.size() << " pattern(s))\n";
}

// The draft reasons in the §11.1 order.
std::string draftReasonList(const std::vector<std::string>& reasons) {
  std::vector<std::string> ordered;
  for (const char* r : {"simulate", "e2e", "version", "overwrite"})
    if (std::find(reasons.begin(), reasons.end(), r) != reasons.end()) ordered.emplace_back(r);
  return join(ordered, ",");
}

sources::Expected<std::string> upload(sources::Registry& registry, const std::string& repo,
                                      const std::string& tag, const std::vector<sources::ArtifactFile>& files,
                                      const std::vector<sources::Descriptor>& layers,
                                      const std::string& manifest) {
  using Result = sources::Expected<std::string>;
  if (auto r = registry.pushBlob(repo, sources::kEmptyConfigDigest, sources::kEmptyConfigBytes); !r.ok())
    return Result::fail(r.error);
  for (size_t i = 0; i < files.size(); ++i)
    if (auto r = registry.pushBlob(repo, layers[i].digest, files[i].bytes); !r.ok())
      return Result::fail(r.error);
  return registry.pushManifest(repo, tag, manifest, sources::kManifestMediaType);
}

// What steps 1–3 decided locally: the document, the reference, and the files to push.
struct Prepared {
  std::optional<PushDocument> push;
  sources::OciRef ref;
  PushContents contents;
  std::vector<sources::ArtifactFile> files;
  std::vector<sources::Descriptor> layers;
};

// §11.2 steps 1–3: kind, reference, the version rule, the checks and the files. Reports and returns false
// on any error. `sm` is replaced when --update-meta rewrote the file (its spans changed).
bool prepare(const PushOptions& o, const std::string& refText, const std::string& dir,
             std::unique_ptr<SourceManager>& sm, DiagnosticEngine& diags, Prepared& p) {
  p.push = loadPushDocument(dir, *sm, diags);
  if (!p.push) return false;
  std::optional<sources::OciRef> ref = pushRef(refText, *p.push, diags);
  if (!ref) return false;
  p.ref = *ref;
  bool updated = false;
  if (!enforceVersion(*p.push, p.ref.tag, o.updateMeta, *sm, diags, &updated)) return false;
  if (updated) {
    // The file changed under the spans: load it again (the first load's warnings are reported again).
    p.push.reset();
    sm = std::make_unique<SourceManager>();
    diags.clear();
    p.push = loadPushDocument(dir, *sm, diags);
    if (!p.push) return false;
  }
  // Imports of the pattern (registry motifs) resolve as `ork validate` resolves them; push only reads
  // an ork.lock the pattern may have, it never writes one into the directory it publishes.
  ImportFlags importFlags;
  importFlags.insecureRegistries = o.insecureRegistries;
  ImportSession session(importFlags, p.push->file, realFileSystem(), /*writeLock=*/false);
  if (!session.open(*sm, diags)) return false;
  session.resolver().prefetch(p.push->module, kPrefetchParallelism);
  if (!runPushChecks(*p.push, session.resolver(), *sm, diags, &p.contents)) return false;
  std::string error;
  auto files = sources::collectArtifactFiles(dir, p.push->motif, p.contents.extraFiles, &error);
  if (!files) {
    diags.report(DiagCode::PushFileOutsideDir, Span{}, dir + ": " + error);
    return false;
  }
  p.files = std::move(*files);
  for (const auto& f : p.files) p.layers.push_back(sources::layerDescriptor(f));
  return true;
}

// §11.2 step 6 (before the gates: a tag is pushed once), steps 4–5 (gates) and 7 (upload, report, index).
int publish(const PushOptions& o, const std::string& dir, const std::string& created, Prepared& p,
            DiagnosticEngine& diags) {
  auto client = makeHttpClient();
  OpenedRegistry target = openRegistryFor(p.ref, *client, /*createLayout=*/true, o.insecureRegistries);
  std::vector<std::string> draftReasons;
  auto existing = target.registry->getManifest(target.repo, p.ref.tag);
  if (existing.ok()) {
    if (fileDigests(existing.value->layers()) == fileDigests(p.layers)) {
      std::cout << "✓ " << p.ref.str() << " already pushed with the same files; left untouched\n"
                << "  Digest:  " << existing.value->digest << "\n";
      return kExitOk;
    }
    if (!o.force) {
      diags.report(
          DiagCode::TagImmutable, Span{},
          "tag \"" + p.ref.tag + "\" already exists with a different digest; versions are immutable");
      diags.help("push a new version (a new tag), or --force to overwrite it as a draft (reason overwrite)");
      return kExitErrors;
    }
    draftReasons.push_back("overwrite");
  } else if (existing.error.kind != sources::OciError::Kind::NotFound) {
    reportOciError(diags, p.ref, existing.error);
    return kExitErrors;
  }

  GateReport gates = runPublishGates(dir, GateFlags{o.force, o.noSimulate, o.noE2e, o.e2eFile}, diags);
  if (gates.blocked) return kExitErrors;
  draftReasons.insert(draftReasons.end(), gates.draftReasons.begin(), gates.draftReasons.end());

  std::map<std::string, std::string> annotations = patternAnnotations(*p.push, p.contents, created);
  for (const auto& [k, v] : gates.annotations()) annotations[k] = v;
  if (!draftReasons.empty()) {
    annotations["io.orkestra.pattern.draft"] = "true";
    annotations["io.orkestra.pattern.draft.reason"] = draftReasonList(draftReasons);
  }
  std::string manifest = sources::buildManifest(
      p.layers, p.push->motif ? sources::kMotifArtifactType : sources::kPatternArtifactType, annotations);
  auto digest = upload(*target.registry, target.repo, p.ref.tag, p.files, p.layers, manifest);
  if (!digest.ok()) {
    reportOciError(diags, p.ref, digest.error);
    return kExitErrors;
  }
  uint64_t totalBytes = 0;
  for (const auto& f : p.files) totalBytes += f.bytes.size();
  std::cout << "✓ pushed " << p.ref.str() << " (" << p.push->fileName << ", " << p.files.size() << " files, "
            << humanSize(totalBytes) << ")\n"
            << "  Digest:  " << *digest.value << "\n";
  if (!draftReasons.empty())
    std::cout << "  Draft:   ⚠ pushed with --force (" << draftReasonList(draftReasons) << ")\n";
  updateIndex(p.ref, *target.registry, created, diags);
  std::cout << "\n" << importSnippet(p.ref, p.push->motif);
  return kExitOk;
}

int runPush(const PushOptions& o, const GlobalOptions& global) {
  std::string refText = o.second.empty() ? "" : o.first;
  std::string dir = o.second.empty() ? o.first : o.second;
  if (dir.empty())
    return usageError(global, "ork push needs a pattern directory",
                      "usage: ork push [REF] DIR (see ork push --help)");
  std::string timeError;
  std::optional<std::string> created = createdTime(&timeError);
  if (!created) return usageError(global, timeError, "unset SOURCE_DATE_EPOCH to use the current time");

  auto sm = std::make_unique<SourceManager>();
  DiagnosticEngine diags;
  Prepared prepared;
  int code = prepare(o, refText, dir, sm, diags, prepared) ? publish(o, dir, *created, prepared, diags)
                                                           : kExitErrors;
  printDiagnostics(diags, *sm, global);
  return code;
}

}  // namespace

void addPushCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app =
      root.add_subcommand("push", "publish a pattern or motif directory to an OCI registry or layout");
  auto opts = std::make_shared<PushOptions>();
  app->add_option("REF", opts->first,
                  "NAME:TAG under $ORK_REGISTRY ($ORK_MOTIFS_REGISTRY for motifs), HOST[:PORT]/PATH:TAG or "
                  "oci-layout:DIR:TAG (default: metadata.name:metadata.version)");
  app->add_option("DIR", opts->second,
                  "the pattern directory (katalog.yaml) or motif directory (motif.yaml)");
  app->add_flag(
      "--force", opts->force,
      "overwrite an existing tag and push past a gate that failed or could not run, marking a draft "
      "(never bypasses the version check)");
  app->add_flag("--update-meta", opts->updateMeta,
                "rewrite metadata.version in the file to the tag, then push");
  app->add_flag("--no-simulate", opts->noSimulate, "record the simulate gate as skipped");
  app->add_flag("--no-e2e", opts->noE2e, "record the E2E gate as skipped");
  app->add_option("--e2e", opts->e2eFile, "the E2E document of the E2E gate (default: DIR/e2e.yaml)")
      ->type_name("FILE");
  app->add_option("--insecure-registry", opts->insecureRegistries,
                  "allow plain HTTP to this registry host (repeatable; loopback always is)")
      ->allow_extra_args(false)
      ->type_name("HOST");
  app->footer("Exit codes: 0 pushed (or already pushed), 1 errors or a blocked push, 2 usage error.");
  out.push_back({app, [opts, &global] { return runPush(*opts, global); }});
}

}  // namespace ork::cli
