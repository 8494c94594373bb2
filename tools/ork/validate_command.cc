// `ork validate`: load the entry documents (files, pattern directories or the current directory's
// katalog.yaml/komposer.yaml), run the validate pipeline, print diagnostics and a one-line result.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "frontend/loader.h"
#include "ir/printer.h"
#include "passes/check_dependencies.h"
#include "passes/check_structure.h"
#include "passes/load_imports.h"
#include "passes/pipeline.h"
#include "support/scalars.h"
#include "support/strings.h"
#include "tools/ork/cli.h"
#include "tools/ork/import_session.h"

namespace ork::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::vector<std::string> warnings;  // the text after -W
  bool strict = false;
  std::string printIrAfter;
  ImportFlags imports;
};

// Every value -W accepts, spelled as on the command line: -Werror, -W<flag>, -Wno-<flag>.
std::vector<std::string> warningOptionNames() {
  std::vector<std::string> names = {"-Werror"};
  for (const DiagInfo& i : diagTable()) {
    if (i.severity != Severity::Warning) continue;
    names.push_back("-W" + std::string(i.flag));
    names.push_back("-Wno-" + std::string(i.flag));
  }
  return names;
}

std::string plural(size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Everything one run loads: the module the pipeline sees, and the example Komposers of pattern
// directories, which are only parsed (their imports would load the pattern a second time).
struct Loaded {
  ir::Module module;
  std::vector<std::unique_ptr<ir::Document>> examples;
};

// Keeps the documents of a pattern file that have the kind the pattern layout fixes; reports
// the others (they are dropped, so a Komposer in katalog.yaml does not import itself).
std::vector<std::unique_ptr<ir::Document>> keepPatternFileKind(std::vector<std::unique_ptr<ir::Document>> docs,
                                                               ir::DocKind expected, DiagnosticEngine& diags) {
  std::vector<std::unique_ptr<ir::Document>> kept;
  for (auto& doc : docs) {
    if (doc->kind == expected) {
      kept.push_back(std::move(doc));
      continue;
    }
    diags.report(DiagCode::KindNotAllowed, doc->kindSpan,
                 passes::kindNotAllowedMessage(doc->kind, ir::docKindName(expected)));
  }
  return kept;
}

void addEntries(Loaded& loaded, std::vector<std::unique_ptr<ir::Document>> docs) {
  for (auto& doc : docs) {
    loaded.module.entryDocuments.push_back(loaded.module.documents.size());
    loaded.module.documents.push_back(std::move(doc));
  }
}

// A pattern directory (FORMATS.md §10.3, §16): the structure check, then its katalog.yaml as an
// entry document and its komposer.yaml parsed as an example.
void loadPatternDirectory(frontend::LoadContext& ctx, const std::string& dir, Loaded& loaded) {
  bool complete = passes::checkPatternStructure(ctx.fs, dir, ctx.diags, Span{}, dir + ": ");
  std::string katalog = joinPath(dir, "katalog.yaml");
  std::string komposer = joinPath(dir, "komposer.yaml");
  // A project directory holding only a komposer.yaml is a common thing to name here.
  if (!complete && !ctx.fs.exists(katalog) && ctx.fs.exists(komposer))
    ctx.diags.note({}, "a directory is validated as a pattern; to validate its Komposer, pass -f " + komposer);
  if (ctx.fs.exists(katalog)) {
    addEntries(loaded, keepPatternFileKind(frontend::loadDocuments(ctx, katalog), ir::DocKind::Katalog, ctx.diags));
  }
  if (ctx.fs.exists(komposer)) {
    for (auto& doc : keepPatternFileKind(frontend::loadDocuments(ctx, komposer), ir::DocKind::Komposer, ctx.diags))
      loaded.examples.push_back(std::move(doc));
  }
}

// `-f` arguments, or the current directory's katalog.yaml, else komposer.yaml. Reports
// NoEntryDocument and returns an empty list when there is neither.
std::vector<std::string> entryPaths(const ValidateOptions& opts, const FileSystem& fs, DiagnosticEngine& diags) {
  if (!opts.files.empty()) {
    // The same file given twice (however spelled) is loaded once, silently: it is one source.
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const std::string& f : opts.files) {
      std::error_code ec;
      std::filesystem::path canonical = std::filesystem::weakly_canonical(f, ec);
      if (seen.insert(ec ? f : canonical.string()).second) out.push_back(f);
    }
    return out;
  }
  for (const char* name : {"katalog.yaml", "komposer.yaml"})
    if (fs.exists(name)) return {name};
  diags.report(DiagCode::NoEntryDocument, Span{}, "no katalog.yaml or komposer.yaml found in current directory");
  diags.help("pass -f <file> or create one with ork init");
  return {};
}

// "2 CRDs, 1 motif, 1 warning": what a successful run validated. CRDs are counted when a
// Katalog or Komposer was loaded (enabled ones, after overrides), other kinds by document.
std::string summary(ir::Module& module, const DiagnosticEngine& diags) {
  size_t operatorDocs = 0, motifs = 0, simulations = 0, e2es = 0;
  for (const auto& doc : module.documents) {
    switch (doc->kind) {
      case ir::DocKind::Katalog:
      case ir::DocKind::Komposer: ++operatorDocs; break;
      case ir::DocKind::Motif: ++motifs; break;
      case ir::DocKind::Simulate: ++simulations; break;
      case ir::DocKind::E2E: ++e2es; break;
    }
  }
  std::vector<std::string> parts;
  if (operatorDocs) parts.push_back(plural(passes::buildDependencyGraph(module).startupOrder.size(), "CRD"));
  if (motifs) parts.push_back(plural(motifs, "motif"));
  if (simulations) parts.push_back(plural(simulations, "Simulate document"));
  if (e2es) parts.push_back(plural(e2es, "E2E document"));
  if (diags.warningCount()) parts.push_back(plural(diags.warningCount(), "warning"));
  return join(parts, ", ");
}

// Applies -W, --print-ir-after and ORK_TODAY; returns the usage error's exit code when one is
// malformed.
std::optional<int> applyOptions(const ValidateOptions& opts, const GlobalOptions& global, DiagnosticEngine& diags,
                                passes::PipelineOptions& pipelineOptions) {
  diags.setWarningsAsErrors(opts.strict);
  for (const std::string& w : opts.warnings) {
    if (!diags.applyWarningOption(w)) {
      return usageError(global, "unknown warning option '-W" + w + "'" + didYouMean("-W" + w, warningOptionNames()),
                        "'ork errors' lists every warning flag");
    }
  }
  std::vector<std::string> passNames = passes::validatePassNames();
  if (!opts.printIrAfter.empty() && opts.printIrAfter != "all" &&
      std::find(passNames.begin(), passNames.end(), opts.printIrAfter) == passNames.end()) {
    return usageError(global,
                      "unknown pass '" + opts.printIrAfter + "' for --print-ir-after" +
                          didYouMean(opts.printIrAfter, passNames),
                      "passes: " + join(passNames, ", ") + ", or all");
  }
  if (const char* today = std::getenv("ORK_TODAY"); today && *today) {
    pipelineOptions.today = parseDate(today);
    if (!pipelineOptions.today)
      return usageError(global, "ORK_TODAY must be a date YYYY-MM-DD, got '" + std::string(today) + "'",
                        "unset ORK_TODAY to use the system clock's UTC date");
  }
  return std::nullopt;
}

int runValidate(const ValidateOptions& opts, const GlobalOptions& global) {
  SourceManager sm;
  DiagnosticEngine diags;
  passes::PipelineOptions pipelineOptions;
  if (std::optional<int> usage = applyOptions(opts, global, diags, pipelineOptions)) return *usage;

  frontend::LoadContext ctx{sm, diags};
  std::vector<std::string> paths = entryPaths(opts, ctx.fs, diags);
  Loaded loaded;
  for (const std::string& path : paths) {
    if (ctx.fs.isDirectory(path))
      loadPatternDirectory(ctx, path, loaded);
    else
      addEntries(loaded, frontend::loadDocuments(ctx, path));
  }
  if (!loaded.module.documents.empty()) {
    ImportSession session(opts.imports, paths.front(), ctx.fs);
    if (session.open(sm, diags)) {
      session.resolver().prefetch(loaded.module, kPrefetchParallelism);
      passes::PassContext passCtx{sm, diags, session.resolver()};
      auto pipeline = passes::buildValidatePipeline(pipelineOptions);
      passes::runPipeline(pipeline, loaded.module, passCtx, opts.printIrAfter,
                          [](std::string_view pass, const ir::Module& module) {
                            std::cout << "# ── IR after " << pass << " ──\n" << ir::printModule(module);
                          });
      if (!diags.hasErrors()) session.finish(diags);
    }
  }
  printDiagnostics(diags, sm, global);
  if (diags.hasErrors() || paths.empty()) return kExitErrors;
  std::cout << "✓ " << join(paths, ", ") << ": valid (" << summary(loaded.module, diags) << ")\n";
  return kExitOk;
}

}  // namespace

void addValidateCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app = root.add_subcommand(
      "validate", "parse, resolve, merge and check Katalogs, Komposers and pattern directories");
  auto opts = std::make_shared<ValidateOptions>();
  app->add_option("-f,--file", opts->files,
                  "a Katalog/Komposer file or a pattern directory (repeatable; default: ./katalog.yaml, "
                  "else ./komposer.yaml)")
      ->allow_extra_args(false)
      ->type_name("FILE|DIR");
  app->add_flag("--strict", opts->strict, "treat warnings as errors");
  app->add_option("-W", opts->warnings, "-W<flag> enables a warning, -Wno-<flag> silences it, -Werror = --strict")
      ->allow_extra_args(false)
      ->type_name("FLAG");
  app->add_option("--print-ir-after", opts->printIrAfter, "print the IR after the named pass (or all passes)")
      ->type_name("PASS|all");
  addImportFlags(*app, opts->imports);
  out.push_back({app, [opts, &global] { return runValidate(*opts, global); }});
}

}  // namespace ork::cli
