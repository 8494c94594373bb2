// Pass: one step of the compiler pipeline over the IR module; passes report and return.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/module.h"
#include "support/diagnostics.h"
#include "support/source_manager.h"

namespace ork::passes {

class ImportResolver;

/// What a pass may use besides the module: the sources, diagnostics, and the resolver
/// through which imports are loaded.
struct PassContext {
  SourceManager& sm;
  DiagnosticEngine& diags;
  ImportResolver& resolver;
};

/// A compiler pass. `name()` is stable kebab-case (used by --print-ir-after).
class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  /// Runs over the module, reporting diagnostics; never throws or exits.
  virtual void run(ir::Module& module, PassContext& ctx) = 0;
};

using PassPtr = std::unique_ptr<Pass>;

}  // namespace ork::passes
