// `ork errors`: the diagnostic code table, as aligned text or as the markdown of docs/errors.md.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "tools/ork/cli.h"

namespace ork::cli {
namespace {

// One line per code: `ORK1102  error    unknown-key         summary`.
std::string renderErrorsText() {
  size_t flagWidth = 0;
  for (const DiagInfo& i : diagTable()) flagWidth = std::max(flagWidth, i.flag.size());
  std::string out;
  for (const DiagInfo& i : diagTable()) {
    std::string sev(severityName(i.severity));
    std::string flag(i.flag);
    out += diagCodeString(i.code) + "  " + sev + std::string(9 - std::min<size_t>(sev.size(), 8), ' ') + flag +
           std::string(flagWidth - flag.size() + 2, ' ') + std::string(i.summary) + "\n";
  }
  return out;
}

}  // namespace

void addErrorsCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app = root.add_subcommand("errors", "print the table of diagnostic codes");
  auto markdown = std::make_shared<bool>(false);
  app->add_flag("--markdown", *markdown, "print docs/errors.md (generated from the code table)");
  out.push_back({app, [markdown] {
                   std::cout << (*markdown ? renderErrorsMarkdown() : renderErrorsText());
                   return kExitOk;
                 }});
}

}  // namespace ork::cli
