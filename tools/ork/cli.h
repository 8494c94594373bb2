// Shared pieces of the ork command line: global options, exit codes, the command table, and
// printing diagnostics and usage errors in the one shape every command uses.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace CLI {
class App;
}

namespace ork::cli {

/// Exit codes of every command (docs/cli.md has the table).
inline constexpr int kExitOk = 0;
inline constexpr int kExitErrors = 1;
inline constexpr int kExitUsage = 2;

/// Options accepted by every command (before or after the command name).
struct GlobalOptions {
  std::string diagnostics = "text";  // text | json
  std::string color = "auto";        // auto | always | never
};

/// How diagnostics are printed: JSON lines or coloured/plain text (`--color=auto` follows
/// stderrWantsColor()).
RenderOptions renderOptions(const GlobalOptions& global);

/// Prints every diagnostic to stderr in the chosen shape, then (text mode) the
/// "N error(s), M warning(s)" summary.
void printDiagnostics(const DiagnosticEngine& diags, const SourceManager& sm, const GlobalOptions& global);

/// Prints a usage error (ORK0010) with its help line to stderr and returns kExitUsage.
int usageError(const GlobalOptions& global, const std::string& message, const std::string& help);

/// A registered command: its CLI11 sub-app and what runs when it was chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

/// Each subcommand file adds its sub-app to `root` and its runner to `out`. The runner reads
/// the parsed options (owned by the runner) and `global`, and returns an exit code.
void addValidateCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addVersionCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addErrorsCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addTemplateCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addPushCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addPatternsCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addPullCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);
void addInspectCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out);

}  // namespace ork::cli
