// The publish gates of `ork push` (FORMATS.md §11.2 steps 4–5). This build records what it cannot run:
// the simulate gate is `skipped` until `ork simulate` exists, and the E2E gate blocks the push unless
// --no-e2e or --force, since ork cannot use a cluster yet.
#include "tools/ork/gates.h"

#include "support/filesystem.h"

namespace ork::cli {
namespace {

GateResult skipped() {
  GateResult r;
  r.status = "skipped";
  return r;
}

void putGate(std::map<std::string, std::string>& out, const std::string& gate, const GateResult& r) {
  const std::string prefix = "io.orkestra." + gate + ".";
  out[prefix + "status"] = r.status;
  if (!r.duration.empty()) out[prefix + "duration"] = r.duration;
  if (!r.testedAt.empty()) out[prefix + "tested_at"] = r.testedAt;
  if (!r.runner.empty()) out[prefix + "runner"] = r.runner;
  if (r.assertions) out[prefix + "assertions"] = std::to_string(*r.assertions);
  if (r.failed) out[prefix + "failed"] = std::to_string(*r.failed);
}

// The simulate gate: recorded as skipped. The simulate issue replaces this with a run of the
// Simulate document against the in-memory cluster (passed / failed / no-assertion).
GateResult simulateGate(const GateFlags& flags, DiagnosticEngine& diags) {
  if (!flags.noSimulate) {
    diags.report(
        DiagCode::PushGateSkipped, Span{},
        "simulate gate skipped: simulate gates arrive with 'ork simulate', which this build does not have; "
        "the artifact is pushed unverified (io.orkestra.simulate.status: skipped)");
    diags.help("pass --no-simulate to skip the gate knowingly");
  }
  return skipped();
}

// The E2E gate needs a reachable cluster (§11.2 step 5); this build has no Kubernetes client, so there
// is never one: blocked, unless --no-e2e or --force record `skipped` (never `passed`).
std::optional<GateResult> e2eGate(const std::string& file, const GateFlags& flags, GateReport& report,
                                  DiagnosticEngine& diags) {
  if (flags.noE2e) return skipped();
  if (flags.force) {
    report.draftReasons.push_back("e2e");
    return skipped();
  }
  report.blocked = true;
  diags.report(DiagCode::PushGateBlocked, Span{},
               "E2E gate cannot run: " + file +
                   " needs a Kubernetes cluster, and this build of ork cannot use one — push blocked");
  diags.help(
      "pass --no-e2e to record the gate as skipped, or --force to push a draft (io.orkestra.pattern.draft)");
  return std::nullopt;
}

}  // namespace

std::map<std::string, std::string> GateReport::annotations() const {
  std::map<std::string, std::string> out;
  if (simulate) putGate(out, "simulate", *simulate);
  if (e2e) putGate(out, "e2e", *e2e);
  return out;
}

GateReport runPublishGates(const std::string& dir, const GateFlags& flags, DiagnosticEngine& diags) {
  GateReport report;
  const FileSystem& fs = realFileSystem();
  if (fs.exists(joinPath(dir, "simulate.yaml"))) report.simulate = simulateGate(flags, diags);

  std::string e2eFile = flags.e2eFile.empty() ? joinPath(dir, "e2e.yaml") : flags.e2eFile;
  if (!flags.e2eFile.empty() && !fs.exists(flags.e2eFile)) {
    diags.report(DiagCode::FileNotFound, Span{}, "--e2e file '" + flags.e2eFile + "' does not exist");
    report.blocked = true;
    return report;
  }
  if (fs.exists(e2eFile)) {
    std::optional<GateResult> e2e = e2eGate(e2eFile, flags, report, diags);
    if (e2e) report.e2e = std::move(*e2e);
  }
  return report;
}

}  // namespace ork::cli
