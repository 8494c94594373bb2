// Renders `ork inspect` (FORMATS.md §11.3) from a manifest: the human text and the JSON object.
#include "tools/ork/inspect_format.h"

#include <algorithm>
#include <map>

#include "support/scalars.h"
#include "support/strings.h"
#include "tools/ork/registry_cli.h"

namespace ork::cli {
namespace {

using Annotations = std::map<std::string, std::string>;

std::string get(const Annotations& a, const std::string& key) {
  auto it = a.find(key);
  return it == a.end() ? std::string() : it->second;
}

// The first non-empty value among `keys`.
std::string firstOf(const Annotations& a, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    std::string v = get(a, k);
    if (!v.empty()) return v;
  }
  return {};
}

// `  Label:       value` — labels padded to the width of "Description: ".
void row(std::string& out, const std::string& label, const std::string& value) {
  std::string l = label + ":";
  if (l.size() < 13) l.append(13 - l.size(), ' ');
  out += "  " + l + value + "\n";
}

std::string padRight(const std::string& s, size_t width) {
  // Count UTF-8 code points, so titles with non-ASCII characters still line up.
  size_t cps = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++cps;
  return cps >= width ? s : s + std::string(width - cps, ' ');
}

std::string shortDigest(const std::string& digest) {
  const size_t keep = std::string("sha256:").size() + 12;
  return digest.size() > keep ? digest.substr(0, keep) + "…" : digest;
}

std::string kindOf(const sources::Manifest& m, const Annotations& a) {
  std::string kind = get(a, "io.orkestra.pattern.kind");
  if (!kind.empty()) return kind;
  std::string type = m.artifactType();
  if (type == sources::kMotifArtifactType) return "Motif";
  if (type == sources::kPatternArtifactType) return "Katalog";
  return type.empty() ? "unknown" : type;
}

std::string commaSpaced(const std::string& list) {
  std::vector<std::string> parts;
  for (const std::string& p : split(list, ',')) {
    std::string_view t = trim(p);
    if (!t.empty()) parts.emplace_back(t);
  }
  return join(parts, ", ");
}

uint64_t layerBytes(const sources::Manifest& m) {
  uint64_t total = 0;
  for (const sources::Descriptor& d : m.layers()) total += d.size > 0 ? static_cast<uint64_t>(d.size) : 0;
  return total;
}

std::string layerTitle(const sources::Descriptor& d) {
  std::string t = get(d.annotations, sources::kTitleAnnotation);
  return t.empty() ? shortDigest(d.digest) : t;
}

void renderDeprecation(std::string& out, const Annotations& a) {
  if (get(a, "io.orkestra.katalog.deprecated") != "true") return;
  out += "⚠  This pattern is deprecated.\n";
  std::string to = get(a, "io.orkestra.katalog.deprecated.migrated_to");
  if (!to.empty()) row(out, "Migrate to", to);
  std::string note = get(a, "io.orkestra.katalog.deprecated.message");
  if (!note.empty()) row(out, "Note", note);
  std::string from = get(a, "io.orkestra.katalog.deprecated.timeline_from");
  std::string until = get(a, "io.orkestra.katalog.deprecated.timeline_to");
  if (!from.empty() || !until.empty())
    row(out, "Timeline",
        (from.empty() ? "" : "from " + from) + (from.empty() || until.empty() ? "" : " ") +
            (until.empty() ? "" : "until " + until));
  out += "\n";
}

std::string typedCell(const Annotations& a) {
  bool hooks = get(a, "io.orkestra.katalog.has_hooks") == "true";
  bool constructor = get(a, "io.orkestra.katalog.has_constructor") == "true";
  bool typed = get(a, "io.orkestra.katalog.typed") == "true";
  if (!hooks && !constructor && !typed) return "no";
  std::string cell = hooks && constructor ? "✓ Has hooks and constructor"
                     : hooks              ? "✓ Has hooks"
                     : constructor        ? "✓ Has constructor"
                                          : "✓ Typed";
  std::string runtime = get(a, "io.orkestra.katalog.runtime_version");
  cell += " · requires a custom Orkestra runtime image";
  if (!runtime.empty()) cell += " (Orkestra " + runtime + ")";
  return cell + "; ork run cannot run it";
}

std::string draftCell(const Annotations& a) {
  std::string reason = commaSpaced(get(a, "io.orkestra.pattern.draft.reason"));
  return "⚠ pushed with --force" + (reason.empty() ? std::string() : " (" + reason + ")");
}

void renderVersions(std::string& out, const InspectView& view) {
  out += "\n  Versions:\n";
  if (view.versions.empty()) out += "    (no tags)\n";
  for (const VersionInfo& v : view.versions) out += "    " + renderVersionLine(v, view.now) + "\n";
}

}  // namespace

std::vector<std::string> sortVersionTags(std::vector<std::string> tags, size_t limit) {
  std::stable_sort(tags.begin(), tags.end(), [](const std::string& a, const std::string& b) {
    std::optional<SemVer> va = parseSemVer(a), vb = parseSemVer(b);
    if (va && vb) {
      int c = compareSemVer(*va, *vb);
      return c != 0 ? c > 0 : a < b;
    }
    if (va || vb) return va.has_value();
    return a < b;
  });
  if (tags.size() > limit) tags.resize(limit);
  return tags;
}

std::string renderVersionLine(const VersionInfo& info, int64_t now) {
  std::string line = padRight(info.tag, 16) + " ";
  if (!info.manifest) return line + "(" + info.error + ")";
  Annotations a = info.manifest->annotations();
  line += "simulate " + gateMark(get(a, "io.orkestra.simulate.status"));
  line += "  e2e " + gateMark(get(a, "io.orkestra.e2e.status"));
  if (auto created = parseRfc3339(get(a, "org.opencontainers.image.created")))
    line += "  pushed " + humanAge(now - *created) + " ago";
  if (get(a, "io.orkestra.pattern.draft") == "true") line += "  ⚠ draft";
  if (get(a, "io.orkestra.katalog.deprecated") == "true") {
    std::string to = get(a, "io.orkestra.katalog.deprecated.migrated_to");
    line += "  ⚠ deprecated" + (to.empty() ? std::string() : " → " + to);
  }
  return line;
}

std::string renderInspectText(const InspectView& view, const std::optional<sources::Manifest>& manifest) {
  std::string out;
  if (!manifest) {
    out += view.title + "\n";
    row(out, "Registry", view.registry);
    renderVersions(out, view);
    return out;
  }
  const sources::Manifest& m = *manifest;
  Annotations a = m.annotations();
  std::vector<sources::Descriptor> layers = m.layers();
  std::string kind = kindOf(m, a);

  renderDeprecation(out, a);
  out += view.title + "\n";
  row(out, "Registry", view.registry);
  row(out, "Kind", kind);
  row(out, "Digest", shortDigest(m.digest));
  std::string created = get(a, "org.opencontainers.image.created");
  if (!created.empty()) {
    auto t = parseRfc3339(created);
    row(out, "Pushed", created + (t ? " (" + humanAge(view.now - *t) + " ago)" : ""));
  }
  row(out, "Size",
      humanSize(layerBytes(m)) + " in " + std::to_string(layers.size()) +
          (layers.size() == 1 ? " file" : " files"));
  std::string description = firstOf(a, {"org.opencontainers.image.description"});
  if (!description.empty()) row(out, "Description", description);
  std::string tags = commaSpaced(get(a, "io.orkestra.pattern.tags"));
  if (!tags.empty()) row(out, "Tags", tags);
  std::string author = firstOf(a, {"io.orkestra.pattern.author", "org.opencontainers.image.authors"});
  if (!author.empty()) row(out, "Author", author);
  std::string license = firstOf(a, {"io.orkestra.pattern.license", "org.opencontainers.image.licenses"});
  if (!license.empty()) row(out, "License", license);
  std::string maturity = get(a, "io.orkestra.katalog.maturity");
  if (!maturity.empty()) row(out, "Maturity", maturity);
  bool katalog = kind == "Katalog";
  if (!get(a, "io.orkestra.simulate.status").empty()) row(out, "Simulate", gateCell(a, "simulate", view.now));
  if (katalog || !get(a, "io.orkestra.e2e.status").empty()) row(out, "E2E", gateCell(a, "e2e", view.now));
  if (katalog) row(out, "Typed", typedCell(a));
  if (get(a, "io.orkestra.pattern.draft") == "true") row(out, "Draft", draftCell(a));

  out += "\n  Files:\n";
  for (const sources::Descriptor& d : layers)
    out += "    " + padRight(layerTitle(d), 30) + " " +
           humanSize(d.size > 0 ? static_cast<uint64_t>(d.size) : 0) + "\n";
  if (view.versionsAsked) renderVersions(out, view);
  out += "\nTo pull:  ork pull " + view.pullRef + "\n";
  return out;
}

nlohmann::json renderInspectJson(const std::string& reference, const InspectView& view,
                                 const std::optional<sources::Manifest>& manifest) {
  nlohmann::json j = nlohmann::json::object();
  j["reference"] = reference;
  j["registry"] = view.registry;
  if (manifest) {
    const sources::Manifest& m = *manifest;
    j["digest"] = m.digest;
    j["mediaType"] = m.mediaType;
    j["artifactType"] = m.artifactType();
    j["size"] = layerBytes(m);
    j["annotations"] = m.annotations();
    nlohmann::json layers = nlohmann::json::array();
    for (const sources::Descriptor& d : m.layers())
      layers.push_back({{"title", get(d.annotations, sources::kTitleAnnotation)},
                        {"mediaType", d.mediaType},
                        {"digest", d.digest},
                        {"size", d.size}});
    j["layers"] = layers;
  }
  if (view.versionsAsked) {
    nlohmann::json versions = nlohmann::json::array();
    for (const VersionInfo& v : view.versions) {
      nlohmann::json e = {{"tag", v.tag}};
      if (!v.manifest) {
        e["error"] = v.error;
      } else {
        Annotations a = v.manifest->annotations();
        e["digest"] = v.manifest->digest;
        e["created"] = get(a, "org.opencontainers.image.created");
        e["simulate"] = get(a, "io.orkestra.simulate.status");
        e["e2e"] = get(a, "io.orkestra.e2e.status");
        e["draft"] = get(a, "io.orkestra.pattern.draft") == "true";
        e["deprecated"] = get(a, "io.orkestra.katalog.deprecated") == "true";
      }
      versions.push_back(std::move(e));
    }
    j["versions"] = versions;
  }
  return j;
}

}  // namespace ork::cli
