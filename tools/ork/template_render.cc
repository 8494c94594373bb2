// `ork template`'s rendering mode: example CRs per operator (FORMATS.md §13), their completion, the
// render on a fixed clock and seeded random source, and the YAML stream or JSON List it prints.
#include "tools/ork/template_render.h"

#include <map>
#include <memory>
#include <set>

#include "backend/plan/render.h"
#include "support/strings.h"
#include "support/template_functions.h"
#include "tools/ork/yaml_emit.h"

namespace ork::cli {
namespace {

using nlohmann::json;

// ── where example CRs come from ───────────────────────────────────────────────────────────────

const ir::Document* documentOfFile(const ir::Module& module, FileId file) {
  for (const auto& doc : module.documents)
    if (doc->file == file) return doc.get();
  return nullptr;
}

const ir::CrdEntry* composedCrd(const ir::Module& module, const std::string& name) {
  for (const ir::CrdEntry& c : module.composedCrds)
    if (c.name.value == name) return &c;
  return nullptr;
}

std::string apiGroup(const std::string& apiVersion) {
  size_t slash = apiVersion.find('/');
  return slash == std::string::npos ? "" : apiVersion.substr(0, slash);
}

// A document is an example CR of the operator when its group and kind are the operator's (any
// version); operators over built-in kinds (no group in apiTypes) match by kind alone.
bool isCrOf(const ir::CrDocument& cr, const plan::Gvk& gvk) {
  if (cr.kind != gvk.kind) return false;
  return gvk.group.empty() || apiGroup(cr.apiVersion) == gvk.group;
}

/// The CR files `ork template` reads beyond what load-imports loaded (--cr files, pattern cr.yaml),
/// each loaded once.
class CrFileCache {
 public:
  explicit CrFileCache(frontend::LoadContext& ctx) : ctx_(ctx) {}

  const std::vector<std::unique_ptr<ir::CrDocument>>& load(const std::string& path) {
    auto it = files_.find(path);
    if (it == files_.end()) it = files_.emplace(path, frontend::loadCrFile(ctx_, path)).first;
    return it->second;
  }

 private:
  frontend::LoadContext& ctx_;
  std::map<std::string, std::vector<std::unique_ptr<ir::CrDocument>>> files_;
};

// The example CR documents of one operator, in file order: the --cr files; else the composed entry's
// crFiles (load-imports put them in module.crs under the path resolved against the declaring file);
// else the cr.yaml beside the document that defined the CRD.
std::vector<const ir::CrDocument*> exampleCrs(const ir::Module& module, const plan::CrdPlan& plan,
                                              const RenderRequest& request, CrFileCache& cache,
                                              const FileSystem& fs) {
  std::vector<const ir::CrDocument*> out;
  auto take = [&](const std::vector<const ir::CrDocument*>& docs) {
    for (const ir::CrDocument* cr : docs)
      if (isCrOf(*cr, plan.gvk)) out.push_back(cr);
  };
  auto fromCache = [&](const std::string& path) {
    std::vector<const ir::CrDocument*> docs;
    for (const auto& cr : cache.load(path)) docs.push_back(cr.get());
    return docs;
  };
  if (!request.crFiles.empty()) {
    for (const std::string& path : request.crFiles) take(fromCache(path));
    return out;
  }
  const ir::CrdEntry* crd = composedCrd(module, plan.name);
  if (!crd) return out;
  const ir::Document* definition = documentOfFile(module, crd->name.span.file);
  if (!crd->crFiles.empty()) {
    for (const ir::Located& file : crd->crFiles) {
      const ir::Document* declaring = documentOfFile(module, file.span.file);
      if (!declaring) declaring = definition;
      if (!declaring) continue;
      std::string local = joinPath(parentDir(declaring->path), file.value);
      std::vector<const ir::CrDocument*> docs;
      for (const auto& cr : module.crs)
        if (cr->path == local) docs.push_back(cr.get());
      take(docs);
    }
    return out;
  }
  if (definition) {
    std::string crYaml = joinPath(parentDir(definition->path), "cr.yaml");
    if (fs.exists(crYaml) && !fs.isDirectory(crYaml)) take(fromCache(crYaml));
  }
  return out;
}

// ── completion and rendering ──────────────────────────────────────────────────────────────────

std::string rfc3339(int64_t unixSeconds) {
  // kTemplateClock is fixed; days-from-civil keeps this independent of the process's time zone.
  int64_t days = unixSeconds / 86400, secs = unixSeconds % 86400;
  int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365,
          doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

uint64_t seedOf(const std::string& text) {
  return std::stoull(tmpl::sha256Hex(text).substr(0, 16), nullptr, 16);
}

/// Notes (FORMATS.md §2) as zero-argument functions: every Katalog/Komposer's notes, later documents
/// of the load order (the entry document last) replacing earlier ones of the same name.
class Notes {
 public:
  explicit Notes(const ir::Module& module) {
    for (const ir::Document* doc : module.loadOrder) add(*doc);
    for (size_t i : module.entryDocuments) add(*module.documents[i]);
  }

  /// Evaluates a note against `ctx` (the CR's data); notes may call notes, up to a depth of 32.
  tmpl::Result<json> evaluate(const std::string& name, const tmpl::EvalContext& ctx) {
    auto it = notes_.find(name);
    if (it == notes_.end()) return tmpl::Result<json>::fail("unknown note \"" + name + "\"", 0);
    if (!it->second) return tmpl::Result<json>{it->second.literal, {}};
    if (depth_ >= 32) return tmpl::Result<json>::fail("note \"" + name + "\" calls itself too deeply", 0);
    ++depth_;
    tmpl::Result<json> r = tmpl::evaluateValue(*it->second.tmpl, ctx);
    --depth_;
    return r;
  }

 private:
  struct Note {
    std::shared_ptr<const tmpl::Template> tmpl;
    json literal;
    explicit operator bool() const { return tmpl != nullptr; }
  };

  void add(const ir::Document& doc) {
    const ir::Node* notes = doc.root ? doc.root->get("notes") : nullptr;
    if (!notes) return;
    auto one = [&](const std::string& name, const ir::Node* expr) {
      if (!expr || !expr->isScalar()) return;
      Note n;
      n.tmpl = expr->parsed;
      if (!n.tmpl && expr->isString() && tmpl::hasActions(expr->text)) n.tmpl = tmpl::parse(expr->text).tmpl;
      if (!n.tmpl) n.literal = expr->scalarText();
      notes_[name] = std::move(n);
    };
    if (notes->isMap())
      for (const ir::MapEntry& e : notes->entries) one(e.key, e.value ? e.value->get("expression") : nullptr);
    if (notes->isList())
      for (const ir::NodePtr& item : notes->items)
        if (const ir::Node* name = item->get("name"); name && name->isString())
          one(name->text, item->get("expression"));
  }

  std::map<std::string, Note> notes_;
  int depth_ = 0;
};

std::string crDisplay(const json& cr) {
  const json& md = cr["metadata"];
  std::string name = md.value("name", "");
  auto ns = md.find("namespace");
  return ns != md.end() && ns->is_string() ? ns->get<std::string>() + "/" + name : name;
}

void reportFailure(const plan::RenderFailure& f, const ExampleCr& cr, const plan::CrdPlan& plan,
                   DiagnosticEngine& diags) {
  Span at = f.span.valid() ? f.span : cr.doc->span;
  std::string message = f.message;
  if (!f.span.valid() && !f.location.empty()) message = f.location + ": " + message;
  diags.report(f.code.value_or(DiagCode::RenderFailed), at, message).path = "spec.crds." + plan.name;
  diags.note(cr.doc->span,
             "while rendering CRD \"" + plan.name + "\" for example CR " + crDisplay(cr.object));
  if (!f.help.empty()) diags.help(f.help);
}

std::string patternOf(const ir::Module& module, const plan::CrdPlan& plan) {
  if (!plan.pattern.empty()) return plan.pattern;
  const ir::CrdEntry* crd = composedCrd(module, plan.name);
  const ir::Document* doc = crd ? documentOfFile(module, crd->name.span.file) : nullptr;
  return doc && !doc->metadata.name.value.empty() ? doc->metadata.name.value : plan.name;
}

// The operator's names for --crd: every composed CRD; unknown and disabled names are errors.
bool checkCrdName(const ir::Module& module, const std::string& name, DiagnosticEngine& diags) {
  std::vector<std::string> enabled;
  for (const ir::CrdEntry& c : module.composedCrds) {
    if (c.name.value != name) {
      if (c.enabled) enabled.push_back(c.name.value);
      continue;
    }
    if (c.enabled) return true;
    diags.report(DiagCode::UnknownCrdName, c.name.span,
                 "--crd \"" + name + "\": the CRD is disabled (enabled: false)");
    return false;
  }
  diags.report(DiagCode::UnknownCrdName, Span{},
               "--crd \"" + name + "\": no such CRD" + didYouMean(name, enabled, '"'));
  diags.help(enabled.empty() ? "the inputs define no enabled CRD" : "CRDs: " + join(enabled, ", "));
  return false;
}

// One item of the -o json List: `obj.dump(2)` indented by four spaces, comma-separated.
void appendListItem(const json& obj, size_t index, std::string& out) {
  if (index > 0) out += ",\n";
  std::string text = obj.dump(2, ' ', false, json::error_handler_t::replace);
  out += "    ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "    ";
  }
}

}  // namespace

json nodeToJson(const ir::Node& n) {
  switch (n.kind) {
    case ir::NodeKind::Null: return nullptr;
    case ir::NodeKind::Bool: return n.boolValue;
    case ir::NodeKind::Int: return n.intValue;
    case ir::NodeKind::Float: return n.floatValue;
    case ir::NodeKind::String: return n.text;
    case ir::NodeKind::List: {
      json out = json::array();
      for (const ir::NodePtr& item : n.items) out.push_back(nodeToJson(*item));
      return out;
    }
    case ir::NodeKind::Map: {
      json out = json::object();
      for (const ir::MapEntry& e : n.entries) out[e.key] = nodeToJson(*e.value);
      return out;
    }
  }
  return nullptr;
}

std::string deterministicUid(const plan::Gvk& gvk, const std::string& ns, const std::string& name) {
  std::string hex = tmpl::sha256Hex(gvk.group + "/" + gvk.kind + "/" + ns + "/" + name).substr(0, 32);
  hex[12] = '8';                                                    // version 8: custom (RFC 9562)
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];  // variant 10xx
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20, 12);
}

json completeCr(json cr, const plan::Gvk& gvk, bool namespaced) {
  json& md = cr["metadata"];
  if (!md.is_object()) md = json::object();
  auto ns = md.find("namespace");
  bool hasNs = ns != md.end() && ns->is_string() && !ns->get<std::string>().empty();
  if (namespaced && !hasNs) md["namespace"] = "default";
  if (!namespaced && ns != md.end()) md.erase("namespace");
  if (!md.contains("uid") || md["uid"].is_null())
    md["uid"] =
        deterministicUid(gvk, namespaced ? md["namespace"].get<std::string>() : "", md.value("name", ""));
  if (!md.contains("generation") || md["generation"].is_null()) md["generation"] = 1;
  if (!md.contains("creationTimestamp") || md["creationTimestamp"].is_null())
    md["creationTimestamp"] = rfc3339(kTemplateClock);
  return cr;
}

std::string renderTemplates(const ir::Module& module, const std::vector<plan::CrdPlan>& plans,
                            const RenderRequest& request, frontend::LoadContext& ctx) {
  if (!request.crd.empty() && !checkCrdName(module, request.crd, ctx.diags)) return "";
  CrFileCache cache(ctx);
  Notes notes(module);
  tmpl::FixedClock clock(kTemplateClock);
  std::string out;
  size_t objects = 0;
  for (const plan::CrdPlan& plan : plans) {
    if (!request.crd.empty() && plan.name != request.crd) continue;
    const ir::CrdEntry* crd = composedCrd(module, plan.name);
    Span crdSpan = crd ? crd->name.span : Span{};
    std::vector<const ir::CrDocument*> docs = exampleCrs(module, plan, request, cache, ctx.fs);
    if (docs.empty()) {
      ctx.diags
          .report(DiagCode::NoExampleCr, crdSpan,
                  "CRD \"" + plan.name + "\" has no example CR (kind " + plan.gvk.kind +
                      (plan.gvk.group.empty() ? "" : ", group " + plan.gvk.group) + "); skipped")
          .path = "spec.crds." + plan.name;
      ctx.diags.help(request.crFiles.empty() ? "add crFiles: [./cr.yaml] to the CRD entry, or pass --cr FILE"
                                             : "the --cr files hold no document of this kind");
      continue;
    }
    std::string pattern = patternOf(module, plan);
    for (const ir::CrDocument* doc : docs) {
      ExampleCr cr{completeCr(nodeToJson(*doc->root), plan.gvk, plan.namespaced), doc};
      json data = plan::templateData(cr.object);
      // Seeded per operator and CR, so `--crd` prints exactly that operator's part of the full output.
      tmpl::SeededRandom random(seedOf(plan.name + "/" + cr.object["metadata"]["uid"].get<std::string>()));
      tmpl::EvalContext eval;
      eval.data = &data;
      eval.clock = &clock;
      eval.random = &random;
      eval.note = [&notes, &eval](const std::string& name) { return notes.evaluate(name, eval); };
      auto rendered = plan::renderEntries(plan, cr.object, eval);
      if (!rendered.ok()) {
        reportFailure(rendered.failure, cr, plan, ctx.diags);
        continue;
      }
      std::string source = "# Source: " + pattern + " " + plan.name + " ";
      std::string crText = " (cr " + crDisplay(cr.object) + ")\n";
      for (const plan::RenderedObject& obj : *rendered.value) {
        if (request.json) {
          appendListItem(obj.object, objects++, out);
          continue;
        }
        out += "---\n" + source + obj.entryId + crText;
        emitYamlDocument(obj.object, out);
      }
    }
  }
  if (!request.json) return out;
  // The List as json::dump(2) prints it (keys sorted: apiVersion, items, kind), written item by item
  // so the objects never sit in one big JSON tree.
  std::string head = "{\n  \"apiVersion\": \"v1\",\n  \"items\": ";
  return head + (objects ? "[\n" + out + "\n  ]" : "[]") + ",\n  \"kind\": \"List\"\n}\n";
}

}  // namespace ork::cli
