// `ork template` (FORMATS.md §16): by default the Kubernetes objects of every operator for its example
// CRs (tools/ork/template_render.cc); `--katalog [--explain]` the merged, normalised Katalog of every
// composed CRD (§9.3) with the origin of each overridden value; `--graph` the dependsOn startup order.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "backend/lower.h"
#include "frontend/loader.h"
#include "ir/printer.h"
#include "passes/check_dependencies.h"
#include "passes/expand_motifs.h"
#include "passes/merge_overrides.h"
#include "passes/pipeline.h"
#include "support/scalars.h"
#include "support/strings.h"
#include "tools/ork/cli.h"
#include "tools/ork/import_session.h"
#include "tools/ork/template_render.h"

namespace ork::cli {
namespace {

struct TemplateOptions {
  std::vector<std::string> files;
  bool katalog = false;
  bool explain = false;
  std::vector<std::string> crFiles;
  std::string crd, output;
  bool graph = false;
  ImportFlags imports;
};

// The three modes exclude each other; --explain belongs to --katalog, --cr and --crd to rendering.
std::optional<int> checkOptions(const TemplateOptions& opts, const GlobalOptions& global) {
  if (!opts.output.empty() && opts.output != "yaml" && opts.output != "json")
    return usageError(global, "-o must be yaml or json, got '" + opts.output + "'",
                      "run 'ork template -o json' for a JSON List of the objects");
  if (opts.explain && !opts.katalog)
    return usageError(global, "--explain needs --katalog", "run 'ork template --katalog --explain'");
  if (opts.katalog && opts.graph)
    return usageError(global, "--katalog and --graph cannot be combined", "run them one at a time");
  const char* mode = opts.katalog ? "--katalog" : opts.graph ? "--graph" : nullptr;
  if (!mode) return std::nullopt;
  const std::string help = "--cr and --crd select what 'ork template' renders; drop " + std::string(mode);
  if (!opts.crFiles.empty())
    return usageError(global, "--cr cannot be combined with " + std::string(mode), help);
  if (!opts.crd.empty())
    return usageError(global, "--crd cannot be combined with " + std::string(mode), help);
  if (opts.katalog && !opts.output.empty())
    return usageError(global, "-o cannot be combined with --katalog",
                      "the merged Katalog is printed as YAML");
  return std::nullopt;
}

// `-f` arguments (a directory means its katalog.yaml), or the current directory's katalog.yaml,
// else komposer.yaml; reports NoEntryDocument when there is neither.
std::vector<std::string> entryPaths(const TemplateOptions& opts, const FileSystem& fs,
                                    DiagnosticEngine& diags) {
  std::vector<std::string> out;
  for (const std::string& f : opts.files) out.push_back(fs.isDirectory(f) ? joinPath(f, "katalog.yaml") : f);
  if (!out.empty()) return out;
  for (const char* name : {"katalog.yaml", "komposer.yaml"})
    if (fs.exists(name)) return {name};
  diags.report(DiagCode::NoEntryDocument, Span{},
               "no katalog.yaml or komposer.yaml found in current directory");
  diags.help("pass -f <file> or create one with ork init");
  return {};
}

// The nodes `--explain` annotates: each node that came from another file than its CRD's
// definition and whose parent did not come from that same file (so a replaced subtree is
// annotated once, at its top).
void collectOverridden(const ir::CrdEntry& crd, const ir::Node& node, FileId parentFile,
                       std::set<const ir::Node*>& out) {
  if (passes::isOverridden(crd, node) && node.span.file != parentFile) out.insert(&node);
  FileId file = node.span.valid() ? node.span.file : parentFile;
  for (const ir::NodePtr& item : node.items) collectOverridden(crd, *item, file, out);
  for (const ir::MapEntry& e : node.entries) collectOverridden(crd, *e.value, file, out);
}

std::string indent(const std::string& text, size_t width) {
  std::string out, pad(width, ' ');
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos + 1);
    out += pad + line;
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  return out;
}

// The merged Katalog: the envelope with the first entry document's name and version, then
// spec.crds in definition order, each CRD's normalised, merged body.
std::string printKatalog(const ir::Module& module, const SourceManager& sm, bool explain) {
  const ir::Document* entry =
      module.entryDocuments.empty() ? nullptr : module.documents[module.entryDocuments.front()].get();
  auto metadata = ir::Node::makeMap();
  if (entry && !entry->metadata.name.value.empty())
    metadata->set("name", ir::Node::makeString(entry->metadata.name.value));
  if (entry && !entry->metadata.version.value.empty())
    metadata->set("version", ir::Node::makeString(entry->metadata.version.value));
  auto envelope = ir::Node::makeMap();
  envelope->set("apiVersion", ir::Node::makeString(std::string(frontend::kOrkestraApiVersion)));
  envelope->set("kind", ir::Node::makeString("Katalog"));
  envelope->set("metadata", std::move(metadata));
  std::string out = ir::printNode(*envelope);
  if (module.composedCrds.empty()) return out + "spec:\n  crds: {}\n";
  out += "spec:\n  crds:\n";
  for (const ir::CrdEntry& crd : module.composedCrds) {
    std::set<const ir::Node*> annotated;
    // Parts a motif contributed (§8.3 step 5), marked `# from motif web-service:v1.1.0` in every mode.
    std::map<const ir::Node*, std::string> fromMotif = passes::motifContributions(module, crd);
    ir::PrintOptions options;
    if (explain) {
      out += "    # defined in " + crd.origin.source + "\n";
      collectOverridden(crd, *crd.body, crd.name.span.file, annotated);
    }
    options.annotate = [&](const ir::Node& n) {
      if (auto it = fromMotif.find(&n); it != fromMotif.end()) return "from motif " + it->second;
      return annotated.count(&n) ? passes::originNote(sm, n) : std::string();
    };
    out += "    " + ir::formatScalar(*ir::Node::makeString(crd.name.value)) + ":";
    if (crd.body->entries.empty()) {
      out += " {}\n";
      continue;
    }
    out += "\n" + indent(ir::printNode(*crd.body, options), 6);
  }
  return out;
}

std::string_view conditionName(ir::DependencyCondition c) {
  switch (c) {
    case ir::DependencyCondition::Started: return "started";
    case ir::DependencyCondition::Healthy: return "healthy";
  }
  return "started";
}

// `--graph`: the startup order (§3.2), one CRD per line with what it waits for; or as JSON.
std::string printGraph(const passes::DependencyGraph& graph, bool json) {
  if (json) {
    nlohmann::json out = {{"startupOrder", graph.startupOrder}, {"edges", nlohmann::json::array()}};
    for (const passes::DependencyEdge& e : graph.edges)
      out["edges"].push_back({{"from", e.from}, {"to", e.to}, {"condition", conditionName(e.condition)}});
    return out.dump(2) + "\n";
  }
  std::string text = "# startup order (dependencies first, ties by name); operators stop in reverse\n";
  size_t width = 0;
  for (const std::string& name : graph.startupOrder) width = std::max(width, name.size());
  for (size_t i = 0; i < graph.startupOrder.size(); ++i) {
    const std::string& name = graph.startupOrder[i];
    std::vector<std::string> waits;
    for (const passes::DependencyEdge& e : graph.edges)
      if (e.from == name) waits.push_back(e.to + " (" + std::string(conditionName(e.condition)) + ")");
    std::string line = std::to_string(i + 1) + ". " + name;
    if (!waits.empty()) line += std::string(width - name.size() + 2, ' ') + "after " + join(waits, ", ");
    text += line + "\n";
  }
  return text;
}

int runTemplate(const TemplateOptions& opts, const GlobalOptions& global) {
  if (std::optional<int> usage = checkOptions(opts, global)) return *usage;
  SourceManager sm;
  DiagnosticEngine diags;
  passes::PipelineOptions pipelineOptions;
  if (const char* today = std::getenv("ORK_TODAY"); today && *today) {
    pipelineOptions.today = parseDate(today);
    if (!pipelineOptions.today)
      return usageError(global, "ORK_TODAY must be a date YYYY-MM-DD, got '" + std::string(today) + "'",
                        "unset ORK_TODAY to use the system clock's UTC date");
  }
  frontend::LoadContext ctx{sm, diags};
  std::vector<std::string> paths = entryPaths(opts, ctx.fs, diags);
  ir::Module module;
  for (const std::string& path : paths) {
    for (auto& doc : frontend::loadDocuments(ctx, path)) {
      module.entryDocuments.push_back(module.documents.size());
      module.documents.push_back(std::move(doc));
    }
  }
  std::unique_ptr<ImportSession> session;
  if (!module.documents.empty()) {
    session = std::make_unique<ImportSession>(opts.imports, paths.front(), ctx.fs);
    if (session->open(sm, diags)) {
      session->resolver().prefetch(module, kPrefetchParallelism);
      passes::PassContext passCtx{sm, diags, session->resolver()};
      passes::runPipeline(passes::buildValidatePipeline(pipelineOptions), module, passCtx);
    }
  }
  std::string out;
  if (!diags.hasErrors() && !paths.empty()) {
    if (opts.katalog) {
      out = printKatalog(module, sm, opts.explain);
    } else if (opts.graph) {
      out = printGraph(passes::buildDependencyGraph(module), opts.output == "json");
    } else {
      std::vector<plan::CrdPlan> plans = backend::lowerModule(module, sm, diags);
      if (!diags.hasErrors())
        out =
            renderTemplates(module, plans, RenderRequest{opts.crFiles, opts.crd, opts.output == "json"}, ctx);
    }
  }
  if (session && !diags.hasErrors()) session->finish(diags);
  printDiagnostics(diags, sm, global);
  if (diags.hasErrors() || paths.empty()) return kExitErrors;
  std::cout << out;
  return kExitOk;
}

}  // namespace

void addTemplateCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app = root.add_subcommand(
      "template",
      "print the Kubernetes objects of every operator for its example CRs (or --katalog, --graph)");
  auto opts = std::make_shared<TemplateOptions>();
  app->add_option("-f,--file", opts->files,
                  "a Katalog/Komposer file or a pattern directory (repeatable; default: ./katalog.yaml, "
                  "else ./komposer.yaml)")
      ->allow_extra_args(false)
      ->type_name("FILE|DIR");
  app->add_option("--cr", opts->crFiles,
                  "render for the CRs in this file instead of crFiles/cr.yaml (repeatable)")
      ->allow_extra_args(false)
      ->type_name("FILE");
  app->add_option("--crd", opts->crd, "render this operator only")->type_name("NAME");
  app->add_option("-o,--output", opts->output, "yaml (a YAML stream, default) or json (a v1 List)")
      ->type_name("yaml|json");
  app->add_flag("--katalog", opts->katalog, "print the merged, normalised Katalog of every composed CRD");
  app->add_flag("--explain", opts->explain, "with --katalog: comment where each overridden value comes from");
  app->add_flag("--graph", opts->graph, "print the dependsOn startup order (-o json: as JSON)");
  addImportFlags(*app, opts->imports);
  out.push_back({app, [opts, &global] { return runTemplate(*opts, global); }});
}

}  // namespace ork::cli
