// `ork patterns [REGISTRY]`: the patterns of a registry path (FORMATS.md §11.4) from its index
// (`<path>/index:latest`), or through the registry API (catalog, tags, each latest manifest's annotations).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "frontend/sources/pattern_index.h"
#include "support/strings.h"
#include "tools/ork/cli.h"
#include "tools/ork/registry_cli.h"

namespace ork::cli {
namespace {

struct PatternsOptions {
  std::string registry;
  bool katalogs = false;
  bool motifs = false;
  std::string tag;
  bool noIndex = false;
  std::string output = "text";
  std::vector<std::string> insecureRegistries;
};

// A registry path as `ork patterns` reads it: `host[:port][/path]` (an `oci://` prefix dropped) or
// `oci-layout:<dir>` (a directory of layouts, one per pattern).
sources::OciRef registryLocation(std::string text) {
  sources::OciRef ref;
  if (startsWith(text, "oci://")) text = text.substr(6);
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  if (startsWith(text, "oci-layout:")) {
    ref.layout = true;
    ref.layoutDir = text.substr(11);
    if (ref.layoutDir.empty()) ref.layoutDir = ".";
    return ref;
  }
  size_t slash = text.find('/');
  ref.registry = text.substr(0, slash);
  ref.repository = slash == std::string::npos ? "" : text.substr(slash + 1);
  return ref;
}

std::string display(const sources::OciRef& where) {
  if (where.layout) return "oci-layout:" + where.layoutDir;
  return where.repository.empty() ? where.registry : where.registry + "/" + where.repository;
}

// The listing of one registry path.
struct Listing {
  std::string registry;
  bool fromIndex = false;
  std::string updatedAt;
  std::vector<sources::PatternIndexRow> rows;
};

std::optional<Listing> listRegistry(const std::string& text, const PatternsOptions& o, http::Client& client,
                                    DiagnosticEngine& diags) {
  sources::OciRef where = registryLocation(text);
  Listing out;
  out.registry = display(where);
  OpenedRegistry opened = openRegistryFor(where, client, /*createLayout=*/false, o.insecureRegistries);
  std::string parent = where.layout ? "" : where.repository;
  auto fail = [&](const sources::OciError& e) -> std::optional<Listing> {
    ErrorText t = ociErrorText(e, refHost(where));
    diags.report(t.code, Span{}, out.registry + ": " + t.message);
    diags.help(t.help);
    return std::nullopt;
  };
  if (!o.noIndex) {
    auto index = sources::readPatternIndex(*opened.registry, parent);
    if (index.ok() && *index.value) {
      out.fromIndex = true;
      out.updatedAt = (*index.value)->updatedAt;
      out.rows = std::move((*index.value)->patterns);
    } else if (!index.ok() && index.error.kind == sources::OciError::Kind::Invalid) {
      diags.report(DiagCode::IndexUnreadable, Span{},
                   out.registry + ": the index is not a valid ork index (" + index.error.detail +
                       "); listing through the registry API");
      diags.help("the next ork push to this registry path rewrites the index");
    } else if (!index.ok() && index.error.kind != sources::OciError::Kind::NotFound) {
      return fail(index.error);
    }
  }
  if (!out.fromIndex) {
    auto listed = sources::listPatternsThroughCatalog(*opened.registry, parent);
    if (!listed.ok()) return fail(listed.error);
    out.rows = std::move(listed.value->patterns);
  }
  std::vector<sources::PatternIndexRow> kept;
  for (auto& row : out.rows) {
    if (o.katalogs && !o.motifs && row.kind != "Katalog") continue;
    if (o.motifs && !o.katalogs && row.kind != "Motif") continue;
    if (!o.tag.empty() && std::find(row.tags.begin(), row.tags.end(), o.tag) == row.tags.end()) continue;
    kept.push_back(std::move(row));
  }
  out.rows = std::move(kept);
  return out;
}

// Display width of UTF-8 text: one column per code point (the marks ✓ ✗ ⊘ ⚠ → are narrow).
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string deprecatedCell(const sources::PatternIndexRow& r) {
  if (!r.deprecated) return "";
  return r.migratedTo.empty() ? "⚠" : "⚠ → " + r.migratedTo;
}

void printTable(const Listing& l) {
  std::vector<std::vector<std::string>> table = {
      {"NAME", "LATEST", "KIND", "SIMULATE", "E2E", "DEPRECATED", "DESCRIPTION"}};
  for (const auto& r : l.rows)
    table.push_back({r.name, r.latestVersion, r.kind, gateMark(r.simulateStatus), gateMark(r.e2eStatus),
                     deprecatedCell(r), r.description});
  if (!l.rows.empty()) {
    std::vector<size_t> widths(table[0].size(), 0);
    for (const auto& row : table)
      for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
    for (const auto& row : table) {
      std::string line;
      for (size_t c = 0; c < row.size(); ++c) {
        line += row[c];
        if (c + 1 < row.size()) line += std::string(widths[c] - width(row[c]) + 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      std::cout << line << "\n";
    }
  }
  std::cout << l.rows.size() << " pattern(s) in " << l.registry;
  if (!l.fromIndex) {
    std::cout << " (no index; listed through the registry API)\n";
    return;
  }
  std::optional<int64_t> updated = parseRfc3339(l.updatedAt);
  if (updated) std::cout << " — updated " << humanAge(nowUnix() - *updated) << " ago";
  std::cout << "\n";
}

nlohmann::json listingJson(const Listing& l) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : l.rows)
    rows.push_back({{"name", r.name},
                    {"kind", r.kind},
                    {"latestVersion", r.latestVersion},
                    {"description", r.description},
                    {"tags", r.tags},
                    {"author", r.author},
                    {"simulateStatus", r.simulateStatus},
                    {"e2eStatus", r.e2eStatus},
                    {"deprecated", r.deprecated},
                    {"migratedTo", r.migratedTo}});
  return {{"registry", l.registry},
          {"source", l.fromIndex ? "index" : "registry-api"},
          {"updatedAt", l.updatedAt},
          {"patterns", std::move(rows)}};
}

int runPatterns(const PatternsOptions& o, const GlobalOptions& global) {
  if (o.output != "text" && o.output != "json")
    return usageError(global, "invalid value '" + o.output + "' for -o (expected json)",
                      "ork patterns prints a table, or JSON with -o json");
  std::vector<std::string> registries;
  if (!o.registry.empty()) {
    registries.push_back(o.registry);
  } else {
    if (o.katalogs || !o.motifs) registries.push_back(defaultKatalogRegistry());
    if (o.motifs || !o.katalogs) registries.push_back(defaultMotifRegistry());
  }
  auto client = makeHttpClient();
  SourceManager sm;
  DiagnosticEngine diags;
  std::vector<Listing> listings;
  for (const std::string& r : registries)
    if (auto l = listRegistry(r, o, *client, diags)) listings.push_back(std::move(*l));
  if (o.output == "json") {
    nlohmann::json doc = {{"registries", nlohmann::json::array()}};
    for (const Listing& l : listings) doc["registries"].push_back(listingJson(l));
    std::cout << doc.dump(2) << "\n";
  } else {
    for (size_t i = 0; i < listings.size(); ++i) {
      if (i) std::cout << "\n";
      printTable(listings[i]);
    }
  }
  printDiagnostics(diags, sm, global);
  return diags.hasErrors() ? kExitErrors : kExitOk;
}

}  // namespace

void addPatternsCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app = root.add_subcommand("patterns", "list the patterns of a registry path, from its index");
  auto opts = std::make_shared<PatternsOptions>();
  app->add_option("REGISTRY", opts->registry,
                  "HOST[:PORT]/PATH or oci-layout:DIR (default: $ORK_REGISTRY and $ORK_MOTIFS_REGISTRY)");
  app->add_flag("--katalogs", opts->katalogs, "only Katalog patterns (without REGISTRY: only $ORK_REGISTRY)");
  app->add_flag("--motifs", opts->motifs, "only motifs (without REGISTRY: only $ORK_MOTIFS_REGISTRY)");
  app->add_option("--tag", opts->tag, "only patterns whose metadata.tags include TAG")->type_name("TAG");
  app->add_flag("--no-index", opts->noIndex,
                "list through the registry API (catalog and tags), not the index");
  app->add_option("-o,--output", opts->output, "json: the listing as JSON")->type_name("json");
  app->add_option("--insecure-registry", opts->insecureRegistries,
                  "allow plain HTTP to this registry host (repeatable; loopback always is)")
      ->allow_extra_args(false)
      ->type_name("HOST");
  out.push_back({app, [opts, &global] { return runPatterns(*opts, global); }});
}

}  // namespace ork::cli
