// `ork version`: the versions of ork, of the Orkestra format it reads and of the plan format it writes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "backend/plan/format.h"
#include "frontend/loader.h"
#include "tools/ork/cli.h"

namespace ork::cli {

void addVersionCommand(CLI::App& root, const GlobalOptions& global, std::vector<Command>& out) {
  CLI::App* app = root.add_subcommand("version", "print the versions of ork, the Orkestra format and the plan format");
  out.push_back({app, [] {
                   std::cout << "ork " << ORK_VERSION << "\n"
                             << "orkestra format: " << frontend::kOrkestraApiVersion << "\n"
                             << "plan format: " << plan::kPlanFormatVersion << "\n";
                   return kExitOk;
                 }});
}

}  // namespace ork::cli
