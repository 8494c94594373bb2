// `ork validate`: load the entry documents (files, pattern directories or the current directory's
// katalog.yaml/komposer.yaml), run the validate pipeline, print diagnostics and a one-line result.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "frontend/loader.h"
#include "support/strings.h"
#include "tools/ork/cli.h"

namespace ork::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::vector<std::string> warnings;  // the text after -W
  bool strict = false;
  std::string printIrAfter;
};

// Every value -W accepts: error, each warning flag and its no- form.
std::vector<std::string> warningOptionNames() {
  std::vector<std::string> names = {"-Werror"};
  for (const DiagInfo& i : diagTable()) {
    if (i.severity != Severity::Warning) continue;
    names.push_back("-W" + std::string(i.flag));
    names.push_back("-Wno-" + std::string(i.flag));
  }
  return names;
}

int runValidate(const ValidateOptions& opts, const GlobalOptions& global) {
  SourceManager sm;
  DiagnosticEngine diags;
  diags.setWarningsAsErrors(opts.strict);
  for (const std::string& w : opts.warnings) {
    if (!diags.applyWarningOption(w)) {
      return usageError(global, "unknown warning option '-W" + w + "'" + didYouMean("-W" + w, warningOptionNames()),
                        "'ork errors' lists every warning flag");
    }
  }
  std::vector<std::string> files = opts.files;
  if (files.empty()) {
    const FileSystem& fs = realFileSystem();
    if (fs.exists("katalog.yaml")) {
      files.push_back("katalog.yaml");
    } else if (fs.exists("komposer.yaml")) {
      files.push_back("komposer.yaml");
    } else {
      diags.report(DiagCode::NoEntryDocument, Span{}, "no katalog.yaml or komposer.yaml found in current directory");
      diags.help("pass -f <file> or create one with ork init");
      printDiagnostics(diags, sm, global);
      return kExitErrors;
    }
  }
  frontend::LoadContext ctx{sm, diags};
  ir::Module module;
  for (const std::string& file : files) {
    for (auto& doc : frontend::loadDocuments(ctx, file)) {
      module.entryDocuments.push_back(module.documents.size());
      module.documents.push_back(std::move(doc));
    }
  }
  printDiagnostics(diags, sm, global);
  if (diags.hasErrors()) return kExitErrors;
  std::cout << "✓ " << join(files, ", ") << ": valid\n";
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
  out.push_back({app, [opts, &global] { return runValidate(*opts, global); }});
}

}  // namespace ork::cli
