// `ork inspect REF [--motif] [--versions] [--view f1,f2] [-o json]` (FORMATS.md §11.3): the manifest
// and its annotations only — no layer download, except the layers --view names.
#include <CLI/CLI.hpp>

#include <future>
#include <iostream>
#include <memory>

#include "support/strings.h"
#include "tools/ork/cli.h"
#include "tools/ork/inspect_format.h"
#include "tools/ork/registry_cli.h"

namespace ork::cli {
namespace {

struct InspectOptions {
  std::string ref;
  bool motif = false;
  bool versions = false;
  std::vector<std::string> view;
  std::string output = "text";
  std::vector<std::string> insecureRegistries;
};

std::string lastSegment(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  size_t slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

// What `ork pull` takes for this ref: a bare name under the default registry, else the full ref.
std::string pullRefFor(const sources::OciRef& ref, bool motif) {
  std::string full = ref.str();
  std::string base = motif ? defaultMotifRegistry() : defaultKatalogRegistry();
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (startsWith(base, "oci://")) base = base.substr(6);
  if (startsWith(full, base + "/") && full.find('/', base.size() + 1) == std::string::npos)
    full = full.substr(base.size() + 1);
  return full + (motif ? " --motif" : "");
}

// Up to 10 tags, highest semver first, each with its manifest (fetched in parallel).
std::vector<VersionInfo> fetchVersions(sources::Registry& registry, const std::string& repo,
                                       const std::vector<std::string>& tags) {
  std::vector<std::future<VersionInfo>> pending;
  for (const std::string& tag : sortVersionTags(tags, 10)) {
    pending.push_back(std::async(std::launch::async, [&registry, &repo, tag] {
      VersionInfo info;
      info.tag = tag;
      sources::Expected<sources::Manifest> m = registry.getManifest(repo, tag);
      if (m.ok())
        info.manifest = std::move(*m.value);
      else
        info.error = m.error.message();
      return info;
    }));
  }
  std::vector<VersionInfo> out;
  for (auto& f : pending) out.push_back(f.get());
  return out;
}

// The layers --view names, in the order given; reports InspectUnknownFile for a name that is not a
// file layer (a directory layer is a tar+gzip archive, not printable).
std::optional<std::vector<sources::Descriptor>> viewedLayers(const sources::Manifest& manifest,
                                                             const std::vector<std::string>& names,
                                                             const sources::OciRef& ref,
                                                             DiagnosticEngine& diags) {
  std::vector<sources::Descriptor> layers = manifest.layers();
  std::vector<std::string> titles;
  for (const sources::Descriptor& d : layers) {
    auto t = d.annotations.find(sources::kTitleAnnotation);
    if (t != d.annotations.end()) titles.push_back(t->second);
  }
  std::vector<sources::Descriptor> chosen;
  for (const std::string& name : names) {
    const sources::Descriptor* found = nullptr;
    for (const sources::Descriptor& d : layers) {
      auto t = d.annotations.find(sources::kTitleAnnotation);
      if (t != d.annotations.end() && t->second == name) found = &d;
    }
    if (!found) {
      diags.report(DiagCode::InspectUnknownFile, Span{},
                   ref.str() + ": no file \"" + name + "\" in the artifact" + didYouMean(name, titles, '"'));
      diags.help("files: " + join(titles, ", "));
      return std::nullopt;
    }
    auto unpack = found->annotations.find("io.deis.oras.content.unpack");
    if (unpack != found->annotations.end() && unpack->second == "true") {
      diags.report(DiagCode::InspectUnknownFile, Span{},
                   ref.str() + ": \"" + name + "\" is a directory (a tar+gzip layer), not a file");
      diags.help("pull the artifact with 'ork pull " + ref.str() + " -o DIR' to read its files");
      return std::nullopt;
    }
    chosen.push_back(*found);
  }
  return chosen;
}

int runInspect(const InspectOptions& opts, const GlobalOptions& global) {
  if (opts.output != "text" && opts.output != "json")
    return usageError(global, "invalid value '" + opts.output + "' for -o (expected text or json)",
                      "run 'ork inspect --help' for usage");
  if (!opts.view.empty() && (opts.versions || opts.output == "json"))
    return usageError(global, "--view prints files; it does not combine with --versions or -o json",
                      "run 'ork inspect --help' for usage");
  SourceManager sm;
  DiagnosticEngine diags;
  auto fail = [&] {
    printDiagnostics(diags, sm, global);
    return kExitErrors;
  };
  std::string why;
  std::optional<sources::OciRef> ref = commandRef(opts.ref, opts.motif, &why);
  if (!ref) {
    diags.report(DiagCode::PullInvalidRef, Span{}, why);
    diags.help("a reference is name[:tag], host[:port]/path[:tag][@sha256:<hex>] or oci-layout:<dir>[:tag]");
    return fail();
  }
  // A ref without tag or digest: with --versions only the versions are listed, otherwise `latest`.
  bool versionsOnly = opts.versions && ref->tag.empty() && ref->digest.empty();
  if (!versionsOnly && ref->tag.empty() && ref->digest.empty()) ref->tag = "latest";

  std::unique_ptr<http::Client> client = makeHttpClient();
  OpenedRegistry opened = openRegistryFor(*ref, *client, false, opts.insecureRegistries);

  InspectView view;
  view.registry = refHost(*ref);
  std::string name = lastSegment(ref->layout ? ref->layoutDir : ref->repository);
  view.title = name + (!ref->digest.empty() ? "@" + ref->digest : ref->tag.empty() ? "" : ":" + ref->tag);
  view.pullRef = pullRefFor(*ref, opts.motif);
  view.now = nowUnix();
  view.versionsAsked = opts.versions;

  std::optional<sources::Manifest> manifest;
  if (!versionsOnly) {
    sources::Expected<sources::Manifest> m = opened.registry->getManifest(opened.repo, ref->reference());
    if (!m.ok()) {
      reportOciError(diags, *ref, m.error);
      return fail();
    }
    manifest = std::move(*m.value);
  }
  if (opts.versions) {
    sources::Expected<std::vector<std::string>> tags = opened.registry->listTags(opened.repo);
    if (!tags.ok()) {
      reportOciError(diags, *ref, tags.error);
      return fail();
    }
    view.versions = fetchVersions(*opened.registry, opened.repo, *tags.value);
  }

  if (!opts.view.empty()) {
    std::optional<std::vector<sources::Descriptor>> layers = viewedLayers(*manifest, opts.view, *ref, diags);
    if (!layers) return fail();
    std::string out;
    for (const sources::Descriptor& d : *layers) {
      sources::Expected<std::string> bytes = opened.registry->fetchBlobBytes(opened.repo, d);
      if (!bytes.ok()) {
        reportOciError(diags, *ref, bytes.error);
        return fail();
      }
      out += "# ── " + d.annotations.at(sources::kTitleAnnotation) + " ──\n" + *bytes.value;
      if (!out.empty() && out.back() != '\n') out += "\n";
    }
    std::cout << out;
    return kExitOk;
  }
  if (opts.output == "json") {
    std::cout << renderInspectJson(ref->str(), view, manifest).dump(2) << "\n";
    return kExitOk;
  }
  std::cout << renderInspectText(view, manifest);
  return kExitOk;
}

}  // namespace

void addInspectCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app =
      root.add_subcommand("inspect", "show a pattern's manifest and annotations (no layer download)");
  auto opts = std::make_shared<InspectOptions>();
  app->add_option("ref", opts->ref, "name[:tag], host[:port]/path[:tag][@sha256:…] or oci-layout:<dir>[:tag]")
      ->required()
      ->type_name("REF");
  app->add_flag("--motif", opts->motif, "a Motif artifact (a bare name goes under $ORK_MOTIFS_REGISTRY)");
  app->add_flag("--versions", opts->versions, "list up to 10 tags, highest semver first, with their gates");
  app->add_option("--view", opts->view,
                  "print these files (comma-separated layer titles); downloads only them")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("FILE,…");
  app->add_option("-o,--output", opts->output, "text (default) or json")->type_name("text|json");
  app->add_option("--insecure-registry", opts->insecureRegistries,
                  "allow plain HTTP to this host (repeatable)")
      ->allow_extra_args(false)
      ->type_name("HOST");
  out.push_back({app, [opts, &global] { return runInspect(*opts, global); }});
}

}  // namespace ork::cli
