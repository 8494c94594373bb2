// The publish gates of `ork push` (FORMATS.md §11.2 steps 4–5): the simulate gate (simulate.yaml) and
// the E2E gate (e2e.yaml or --e2e). One hook, runPublishGates, that `ork push` calls after its checks.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/diagnostics.h"

namespace ork::cli {

/// The gate flags of `ork push`.
struct GateFlags {
  bool force = false;       // --force: a failed or unrunnable gate is recorded and the push marked draft
  bool noSimulate = false;  // --no-simulate: record the simulate gate as skipped
  bool noE2e = false;       // --no-e2e: record the E2E gate as skipped
  std::string e2eFile;      // --e2e FILE: the E2E document instead of <dir>/e2e.yaml
};

/// What one gate recorded: the values of the `io.orkestra.<gate>.*` annotations (§11.1).
struct GateResult {
  std::string status;    // passed | failed | skipped | no-assertion
  std::string duration;  // Go-style ("862ms"), "" when the gate did not run
  std::string testedAt;  // RFC 3339, "" when the gate did not run
  std::string runner;    // E2E only (§11.1 runner from the CI variables); "" when it did not run
  std::optional<int> assertions, failed;
};

/// The outcome of every gate of a push.
struct GateReport {
  std::optional<GateResult> simulate;     // absent when there is no simulate.yaml
  std::optional<GateResult> e2e;          // absent when there is neither e2e.yaml nor --e2e
  bool blocked = false;                   // a gate failed or could not run and --force was not given
  std::vector<std::string> draftReasons;  // "simulate", "e2e" — what --force overrode
  /// The §11.1 gate annotations (`io.orkestra.simulate.status`, …), only for gates present.
  std::map<std::string, std::string> annotations() const;
};

/// Runs the publish gates of the pattern directory `dir` with `flags`, reporting on `diags`.
///
/// This build has neither `ork simulate` nor a Kubernetes client, so:
/// - simulate gate (simulate.yaml present): recorded `skipped`, with the warning PushGateSkipped saying
///   the simulate gate arrives with `ork simulate` and the artifact is unverified (no warning with
///   --no-simulate, which asks for exactly that). It becomes a real run in the simulate issue.
/// - E2E gate (e2e.yaml, or `flags.e2eFile`, which must exist — FileNotFound otherwise): it needs a
///   cluster, which this build cannot use, so the push is blocked (PushGateBlocked) unless --no-e2e
///   (recorded `skipped`) or --force (recorded `skipped` and draft reason `e2e`) — never `passed`.
GateReport runPublishGates(const std::string& dir, const GateFlags& flags, DiagnosticEngine& diags);

}  // namespace ork::cli
