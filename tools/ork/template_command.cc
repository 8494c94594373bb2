// `ork template --katalog [--explain]`: the merged, normalised Katalog of every composed CRD
// (FORMATS.md §9.3, §16), optionally with the origin of each overridden value. Rendering
// Kubernetes objects (the default mode, --cr, --crd, -o, --graph) arrives with issue #3.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "frontend/loader.h"
#include "ir/printer.h"
#include "passes/expand_motifs.h"
#include "passes/import_resolver.h"
#include "passes/merge_overrides.h"
#include "passes/pipeline.h"
#include "support/scalars.h"
#include "support/strings.h"
#include "tools/ork/cli.h"

namespace ork::cli {
namespace {

struct TemplateOptions {
  std::vector<std::string> files;
  bool katalog = false;
  bool explain = false;
  // Modes of issue #3's rendering: accepted by the parser so they get a clear usage error.
  std::string cr, crd, output;
  bool graph = false;
};

const char* const kRenderingLater =
    "arrives with issue #3's rendering; this build has only 'ork template --katalog [--explain]'";

std::optional<int> checkOptions(const TemplateOptions& opts, const GlobalOptions& global) {
  const std::string help = "run 'ork template --katalog' for the merged Katalog";
  if (opts.graph) return usageError(global, "'ork template --graph' " + std::string(kRenderingLater), help);
  for (auto [name, value] : {std::pair<const char*, const std::string*>{"--cr", &opts.cr},
                             {"--crd", &opts.crd},
                             {"-o", &opts.output}}) {
    if (!value->empty())
      return usageError(global, "'ork template " + std::string(name) + "' " + kRenderingLater, help);
  }
  if (!opts.katalog) {
    if (opts.explain)
      return usageError(global, "--explain needs --katalog", "run 'ork template --katalog --explain'");
    return usageError(
        global,
        "'ork template' without --katalog renders Kubernetes objects, which " + std::string(kRenderingLater),
        help);
  }
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
  if (!module.documents.empty()) {
    passes::LocalImportResolver resolver(ctx.fs);
    passes::PassContext passCtx{sm, diags, resolver};
    passes::runPipeline(passes::buildValidatePipeline(pipelineOptions), module, passCtx);
  }
  printDiagnostics(diags, sm, global);
  if (diags.hasErrors() || paths.empty()) return kExitErrors;
  std::cout << printKatalog(module, sm, opts.explain);
  return kExitOk;
}

}  // namespace

void addTemplateCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app = root.add_subcommand(
      "template", "print the merged Katalog of every composed CRD (--katalog [--explain])");
  auto opts = std::make_shared<TemplateOptions>();
  app->add_option("-f,--file", opts->files,
                  "a Katalog/Komposer file or a pattern directory (repeatable; default: ./katalog.yaml, "
                  "else ./komposer.yaml)")
      ->allow_extra_args(false)
      ->type_name("FILE|DIR");
  app->add_flag("--katalog", opts->katalog, "print the merged, normalised Katalog of every composed CRD");
  app->add_flag("--explain", opts->explain, "with --katalog: comment where each overridden value comes from");
  app->add_option("--cr", opts->cr, "(issue #3) render for this CR file")->type_name("FILE");
  app->add_option("--crd", opts->crd, "(issue #3) render one CRD only")->type_name("NAME");
  app->add_option("-o,--output", opts->output, "(issue #3) output format")->type_name("yaml|json");
  app->add_flag("--graph", opts->graph, "(issue #3) print the dependsOn startup order");
  out.push_back({app, [opts, &global] { return runTemplate(*opts, global); }});
}

}  // namespace ork::cli
