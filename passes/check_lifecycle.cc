// check-lifecycle: deprecated and immature imports (FORMATS.md §2, §9.4) and the allowedRegistries
// rule (§9.5).
#include "passes/check_lifecycle.h"

#include <ctime>

#include "support/strings.h"

namespace ork::passes {
namespace {

constexpr std::string_view kAcceptHelp = "add it to lifecycle.accept.patterns to acknowledge this import";

/// alpha < beta < stable; -1 for anything else (deprecated, empty).
int maturityRank(std::string_view m) {
  if (m == "alpha") return 0;
  if (m == "beta") return 1;
  if (m == "stable") return 2;
  return -1;
}

bool isDeprecated(const ir::Lifecycle& lc) { return lc.deprecation.present || lc.maturity.value == "deprecated"; }

/// How messages name an imported document: `registry pattern "<url>"@<version>`, `file "<path>"`,
/// `motif "<ref>"` (with `@<version>` for fetched motifs).
std::string importLabel(const ir::ImportRecord& r) {
  switch (r.kind) {
    case ir::ImportRecord::Kind::Registry: return "registry pattern \"" + r.url + "\"@" + r.version;
    case ir::ImportRecord::Kind::File: return "file \"" + r.url + "\"";
    case ir::ImportRecord::Kind::Motif: return "motif \"" + r.url + "\"" + (r.version.empty() ? "" : "@" + r.version);
    case ir::ImportRecord::Kind::Entry: return "\"" + r.url + "\"";
  }
  return "\"" + r.url + "\"";
}

std::string deprecationMessage(const ir::Document& doc, LifecycleState state) {
  const ir::Deprecation& dep = doc.lifecycle.deprecation;
  std::string out = importLabel(doc.importedBy);
  out += state == LifecycleState::Eol ? " is end of life since " + dep.timelineTo : " is deprecated";
  if (!dep.migratedTo.empty()) out += " — migrate to: " + dep.migratedTo;
  if (!dep.message.empty()) out += " (" + std::string(trim(dep.message)) + ")";
  return out;
}

class CheckLifecyclePass : public Pass {
 public:
  explicit CheckLifecyclePass(Date today) : today_(today) {}
  std::string_view name() const override { return "check-lifecycle"; }
  std::string_view summary() const override {
    return "report deprecated imports and imports below policy.lifecycle.minMaturity";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    for (const auto& doc : module.documents) {
      if (doc->importedBy.kind == ir::ImportRecord::Kind::Entry) continue;
      const ir::Document& entry = entryDocumentOf(*doc);
      const ir::Located* minMaturity =
          entry.policy && !entry.policy->minMaturity.value.empty() ? &entry.policy->minMaturity : nullptr;
      if (isDeprecated(doc->lifecycle)) checkDeprecated(*doc, entry, minMaturity, ctx.diags);
      else if (minMaturity) checkMaturity(*doc, *minMaturity, ctx.diags);
    }
  }

 private:
  void checkDeprecated(const ir::Document& doc, const ir::Document& entry, const ir::Located* minMaturity,
                       DiagnosticEngine& diags) {
    LifecycleState state = lifecycleState(doc.lifecycle, today_);
    if (state == LifecycleState::None || isAccepted(entry.lifecycle.accept, doc.metadata)) return;
    diags.report(minMaturity ? DiagCode::MaturityBelowPolicy : DiagCode::DeprecatedImport, doc.importedBy.span,
                 deprecationMessage(doc, state));
    if (doc.lifecycle.deprecation.span.valid()) diags.note(doc.lifecycle.deprecation.span, "deprecated here");
    if (minMaturity)
      diags.note(minMaturity->span, "policy.lifecycle.minMaturity makes unacknowledged deprecated imports errors");
    diags.help(std::string(kAcceptHelp));
  }

  void checkMaturity(const ir::Document& doc, const ir::Located& minMaturity, DiagnosticEngine& diags) {
    // Motifs carry no lifecycle (§8.1), so only Katalog and Komposer imports have a maturity.
    if (doc.kind != ir::DocKind::Katalog && doc.kind != ir::DocKind::Komposer) return;
    const std::string& m = doc.lifecycle.maturity.value;
    if (maturityRank(m) >= maturityRank(minMaturity.value)) return;
    std::string label = importLabel(doc.importedBy);
    std::string message = m.empty() ? label + " declares no lifecycle.maturity; policy.lifecycle.minMaturity is \"" +
                                          minMaturity.value + "\""
                                    : label + " has maturity \"" + m + "\", below policy.lifecycle.minMaturity \"" +
                                          minMaturity.value + "\"";
    diags.report(DiagCode::MaturityBelowPolicy, doc.importedBy.span, message);
    if (doc.lifecycle.maturity.span.valid()) diags.note(doc.lifecycle.maturity.span, "maturity declared here");
    diags.note(minMaturity.span, "policy.lifecycle.minMaturity is set here");
    diags.help("import a more mature version, or lower policy.lifecycle.minMaturity");
  }

  Date today_;
};

}  // namespace

PassPtr createCheckLifecyclePass(std::optional<Date> today) {
  return std::make_unique<CheckLifecyclePass>(today ? *today : todayUtc());
}

Date todayUtc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

LifecycleState lifecycleState(const ir::Lifecycle& lifecycle, const Date& today) {
  if (!isDeprecated(lifecycle)) return LifecycleState::None;
  const ir::Deprecation& dep = lifecycle.deprecation;
  if (auto from = parseDate(dep.timelineFrom); from && today < *from) return LifecycleState::None;
  if (auto to = parseDate(dep.timelineTo); to && today >= *to) return LifecycleState::Eol;
  return LifecycleState::Warning;
}

bool isAccepted(const std::vector<ir::AcceptPattern>& accept, const ir::Metadata& metadata) {
  for (const ir::AcceptPattern& p : accept) {
    if (p.name != metadata.name.value) continue;
    if (!p.author.empty() && p.author != metadata.author) continue;
    if (!p.version.empty()) {
      auto range = parseSemVerRange(p.version);
      auto version = parseSemVer(metadata.version.value);
      if (!range || !version || !semVerSatisfies(*version, *range)) continue;
    }
    return true;
  }
  return false;
}

const ir::Document& entryDocumentOf(const ir::Document& doc) {
  const ir::Document* d = &doc;
  while (d->importedBy.importer) d = d->importedBy.importer;
  return *d;
}

// `url` with its host (up to the first `/`) lowercased: hosts compare case-insensitively, paths do not.
std::string lowerHost(std::string_view url) {
  size_t slash = url.find('/');
  std::string host = toLower(url.substr(0, slash));
  return slash == std::string_view::npos ? host : host + std::string(url.substr(slash));
}

bool registryAllowed(std::string_view written, const std::vector<ir::Located>& allowed) {
  // A `.` or `..` segment could step out of an allowed prefix: never allowed.
  for (const std::string& seg : split(written, '/'))
    if (seg == "." || seg == "..") return false;
  std::string url = lowerHost(written);
  for (const ir::Located& a : allowed) {
    std::string entry = a.value;
    if (size_t p = entry.find("://"); p != std::string::npos) entry = entry.substr(p + 3);
    while (!entry.empty() && entry.back() == '/') entry.pop_back();
    if (entry.empty()) continue;
    entry = lowerHost(entry);
    if (url == entry || (startsWith(url, entry) && url.size() > entry.size() && url[entry.size()] == '/'))
      return true;
  }
  return false;
}

const ir::Policy* allowedRegistriesPolicy(const ir::Document& entry) {
  if (!entry.policy) return nullptr;
  if (!entry.policy->allowedRegistries.empty()) return &*entry.policy;
  // An explicitly empty list allows no network source at all.
  if (entry.root && entry.root->at("policy.allowedRegistries")) return &*entry.policy;
  return nullptr;
}

Diagnostic& reportRegistryNotAllowed(std::string_view written, const ir::Policy& policy, Span at,
                                     DiagnosticEngine& diags) {
  std::vector<std::string> names;
  for (const ir::Located& a : policy.allowedRegistries) names.push_back(a.value);
  Diagnostic& d = diags.report(DiagCode::RegistryNotAllowed, at,
                               "import \"" + std::string(written) + "\" is not allowed by policy.allowedRegistries (allowed: " +
                                   (names.empty() ? std::string("none") : join(names, ", ")) + ")");
  if (policy.span.valid()) d.notes.push_back({policy.span, "policy.allowedRegistries is set here"});
  d.help = "add its registry to policy.allowedRegistries, or import from an allowed source";
  return d;
}

}  // namespace ork::passes
