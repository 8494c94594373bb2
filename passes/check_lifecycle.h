// The check-lifecycle pass: deprecated and immature imports (FORMATS.md §2, §9.4), and the
// policy.allowedRegistries rule for network sources (§9.5) that load-imports applies before fetching.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "passes/pass.h"
#include "support/scalars.h"

namespace ork::passes {

/// Creates the `check-lifecycle` pass. Every imported document (any depth) that is deprecated in
/// state warning or eol on `today` and matches no `lifecycle.accept.patterns` entry of its entry
/// document is reported at its import: a DeprecatedImport warning (ORK1401), or a
/// MaturityBelowPolicy error (ORK1402) when the entry document sets `policy.lifecycle.minMaturity`,
/// under which an imported Katalog/Komposer with lower or no maturity is an error too. `today`
/// defaults to the system clock's UTC date.
PassPtr createCheckLifecyclePass(std::optional<Date> today = std::nullopt);

/// Today's date in UTC.
Date todayUtc();

/// The §2 deprecation state.
enum class LifecycleState { None, Warning, Eol };

/// §2: None when not deprecated (no deprecation field, maturity not `deprecated`) or before
/// `timeline.from`; Eol from `timeline.to` on; otherwise Warning.
LifecycleState lifecycleState(const ir::Lifecycle& lifecycle, const Date& today);

/// §9.4: whether some accept pattern names the document: `name` equal to metadata.name, `author`
/// (when set) equal to metadata.author, `version` (when set) a range metadata.version satisfies.
bool isAccepted(const std::vector<ir::AcceptPattern>& accept, const ir::Metadata& metadata);

/// The entry document an imported document was reached from (itself for entry documents).
const ir::Document& entryDocumentOf(const ir::Document& doc);

/// §9.5: whether `url` (no scheme, no version) matches an entry of `allowed` on whole path
/// segments (`ghcr.io/acme` matches `ghcr.io/acme/pg`, not `ghcr.io/acmecorp/pg`).
bool registryAllowed(std::string_view url, const std::vector<ir::Located>& allowed);

/// The policy whose allowedRegistries governs the imports of `entry`, or nullptr when it sets
/// none (only the entry document's policy applies).
const ir::Policy* allowedRegistriesPolicy(const ir::Document& entry);

/// Reports RegistryNotAllowed (ORK1403) at `at`: `import "<written>" is not allowed by
/// policy.allowedRegistries (allowed: a, b)`, with a note at the policy.
Diagnostic& reportRegistryNotAllowed(std::string_view written, const ir::Policy& policy, Span at,
                                     DiagnosticEngine& diags);

}  // namespace ork::passes
