// ork: entry point. Builds the command line (CLI11), turns parse failures into coded usage
// errors (exit 2) and runs the chosen command; every exit code is decided here or in a command.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <regex>

#include "support/strings.h"
#include "tools/ork/cli.h"

namespace {

using ork::cli::Command;
using ork::cli::GlobalOptions;

// Every long and short name of an app's options ("--strict", "-f"), for did-you-mean.
std::vector<std::string> optionNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : app.get_options()) {
    for (const std::string& n : opt->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : opt->get_snames()) names.push_back("-" + n);
  }
  return names;
}

std::vector<std::string> commandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  return names;
}

std::string helpHint(const CLI::App* sub) {
  if (!sub) return "run 'ork --help' for the list of commands";
  return "run 'ork " + sub->get_name() + " --help' for usage";
}

// CLI11 reports "--file: 1 required TEXT missing"; say it the way the rest of ork speaks.
std::string parseErrorMessage(const CLI::ParseError& e) {
  std::string what = e.what();
  static const std::regex missingValue(R"(^(-[^:]+): \d+ required \S+ missing$)");
  std::smatch m;
  if (std::regex_match(what, m, missingValue)) return "option '" + m[1].str() + "' requires a value";
  if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  return what;
}

// Arguments nothing claimed: an unknown command, an unknown option or a stray argument.
int reportExtras(const CLI::App& root, const CLI::App* sub, const std::vector<std::string>& extras,
                 const GlobalOptions& global) {
  const std::string& first = extras.front();
  if (!sub && !ork::startsWith(first, "-")) {
    return ork::cli::usageError(global,
                                "unknown command '" + first + "'" + ork::didYouMean(first, commandNames(root)),
                                helpHint(nullptr));
  }
  if (ork::startsWith(first, "-")) {
    std::string name = first.substr(0, first.find('='));
    std::vector<std::string> candidates = optionNames(root);
    if (sub) {
      std::vector<std::string> own = optionNames(*sub);
      candidates.insert(candidates.begin(), own.begin(), own.end());
    }
    std::string where = sub ? " for 'ork " + sub->get_name() + "'" : "";
    return ork::cli::usageError(global, "unknown option '" + name + "'" + where + ork::didYouMean(name, candidates),
                                helpHint(sub));
  }
  return ork::cli::usageError(global, "unexpected argument '" + first + "'", helpHint(sub));
}

}  // namespace

int main(int argc, char** argv) {
  GlobalOptions global;
  CLI::App app{"ork compiles declarative Kubernetes operators written in the Orkestra format.", "ork"};
  app.footer("Exit codes: 0 success, 1 errors, 2 usage error. See docs/cli.md.");
  app.allow_extras();
  app.require_subcommand(0, 1);
  app.add_option("--diagnostics", global.diagnostics, "diagnostics on stderr as human text or JSON lines")
      ->type_name("text|json");
  app.add_option("--color", global.color, "colour diagnostics: auto (a terminal, NO_COLOR unset), always, never")
      ->type_name("auto|always|never");

  std::vector<Command> commands;
  ork::cli::addValidateCommand(app, global, commands);
  ork::cli::addVersionCommand(app, global, commands);
  ork::cli::addTemplateCommand(app, global, commands);
  ork::cli::addPushCommand(app, global, commands);
  ork::cli::addPatternsCommand(app, global, commands);
  ork::cli::addPullCommand(app, global, commands);
  ork::cli::addInspectCommand(app, global, commands);
  ork::cli::addErrorsCommand(app, global, commands);
  for (Command& c : commands) {
    c.app->fallthrough();  // global options may follow the command name
    c.app->allow_extras();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);  // --help
    std::vector<CLI::App*> chosen = app.get_subcommands();
    return ork::cli::usageError(global, parseErrorMessage(e), helpHint(chosen.empty() ? nullptr : chosen.front()));
  }

  std::vector<CLI::App*> chosen = app.get_subcommands();
  const CLI::App* sub = chosen.empty() ? nullptr : chosen.front();
  std::vector<std::string> extras = app.remaining();
  if (sub) {
    std::vector<std::string> own = sub->remaining();
    extras.insert(extras.begin(), own.begin(), own.end());
  }
  if (!extras.empty()) return reportExtras(app, sub, extras, global);
  if (global.diagnostics != "text" && global.diagnostics != "json") {
    std::string value = global.diagnostics;
    global.diagnostics = "text";
    return ork::cli::usageError(global, "invalid value '" + value + "' for --diagnostics (expected text or json)",
                                helpHint(sub));
  }
  if (global.color != "auto" && global.color != "always" && global.color != "never") {
    std::string value = global.color;
    global.color = "auto";
    return ork::cli::usageError(global, "invalid value '" + value + "' for --color (expected auto, always or never)",
                                helpHint(sub));
  }
  if (!sub) {
    return ork::cli::usageError(global, "no command given (commands: " + ork::join(commandNames(app), ", ") + ")",
                                helpHint(nullptr));
  }
  for (Command& c : commands) {
    if (c.app != sub) continue;
    // Libraries report problems as diagnostics; an exception reaching here is a bug in ork. Say so
    // plainly and fail, rather than abort with a core dump.
    try {
      return c.run();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ork: internal error: %s\nThis is a bug in ork; please report it with the input.\n",
                   e.what());
      return 1;
    }
  }
  return ork::cli::kExitUsage;
}
