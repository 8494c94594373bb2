// parse-templates: parses every template scalar of CRD entries, motifs and notes, reporting syntax,
// function, root and variable errors at their own line and column inside the YAML file.
#include "passes/parse_templates.h"

#include <set>

#include "support/template.h"

namespace ork::passes {
namespace {

// Keys whose values are never templates (FORMATS.md §5.3 and non-resource fields of an entry).
const std::set<std::string> kNotTemplates = {"forEach", "apiTypes", "crdFile", "crFiles", "dependsOn"};
// Keys whose scalar values are not templates; `operatorBox.reconcile` is a block and is walked.
const std::set<std::string> kScalarsNotTemplates = {"reconcile", "once", "namespaced", "hasStatus"};

size_t escapeLength(std::string_view src, size_t j) {  // at a backslash in a double-quoted scalar
  if (j + 1 >= src.size()) return 1;
  switch (src[j + 1]) {
    case 'x': return 4;
    case 'u': return 6;
    case 'U': return 10;
    default: return 2;
  }
}

// Bytes of unescaped text one escape produces (UTF-8 for \u and \U; a line break escape: none).
size_t escapeProduces(std::string_view src, size_t j) {
  if (j + 1 >= src.size()) return 1;
  char c = src[j + 1];
  if (c == '\n' || c == '\r') return 0;
  if (c != 'u' && c != 'U' && c != 'x') return (c == 'N' || c == '_') ? 2 : 1;
  uint32_t cp = static_cast<uint32_t>(
      std::strtoul(std::string(src.substr(j + 2, escapeLength(src, j) - 2)).c_str(), nullptr, 16));
  if (c == 'x' || cp < 0x80) return 1;
  return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

struct Walker {
  PassContext& ctx;
  tmpl::ParseOptions options;
  size_t parsed = 0;

  void scalar(ir::Node& node, const std::string& path) {
    if (!node.isString() || !tmpl::hasActions(node.text)) return;
    ++parsed;
    tmpl::ParseResult r = tmpl::parse(node.text, options);
    for (const tmpl::ParseError& e : r.errors) {
      Diagnostic& d = ctx.diags.report(e.code, templateSpan(ctx.sm, node, e.offset, e.length), e.message);
      d.path = path;
      if (!e.help.empty()) d.help = e.help;
    }
    node.parsed = r.tmpl;  // parsed once; clones made by later passes share it
  }

  // Walks a resource-like subtree: every string is a template except the values of kNotTemplates
  // keys, a custom entry's apiVersion/kind, and condition keys other than `field`.
  void walk(ir::Node& node, const std::string& path, bool inCustom = false) {
    switch (node.kind) {
      case ir::NodeKind::Null:
      case ir::NodeKind::Bool:
      case ir::NodeKind::Int:
      case ir::NodeKind::Float: return;
      case ir::NodeKind::String: scalar(node, path); return;
      case ir::NodeKind::List:
        for (size_t i = 0; i < node.items.size(); ++i)
          walk(*node.items[i], path + "[" + std::to_string(i) + "]", inCustom);
        return;
      case ir::NodeKind::Map: walkMap(node, path, inCustom); return;
    }
  }

  void walkMap(ir::Node& node, const std::string& path, bool inCustom) {
    std::vector<std::string> saved = options.extraRoots;
    if (const ir::Node* each = node.get("forEach"))
      if (const ir::Node* as = each->get("as"); as && as->isString() && !as->text.empty())
        options.extraRoots.push_back(as->text);
    for (ir::MapEntry& e : node.entries) {
      std::string sub = path.empty() ? e.key : path + "." + e.key;
      if (kNotTemplates.count(e.key) || (kScalarsNotTemplates.count(e.key) && e.value->isScalar())) continue;
      if (inCustom && (e.key == "apiVersion" || e.key == "kind")) continue;
      if ((e.key == "when" || e.key == "or") && e.value->isList()) {
        conditions(*e.value, sub);
        continue;
      }
      walk(*e.value, sub, e.key == "custom" || (inCustom && !e.value->isMap()));
    }
    options.extraRoots = std::move(saved);
  }

  void conditions(ir::Node& list, const std::string& path) {
    for (size_t i = 0; i < list.items.size(); ++i)
      if (ir::Node* field = list.items[i]->get("field"))
        scalar(*field, path + "[" + std::to_string(i) + "].field");
  }
};

// Notes in map form {name: {expression}} or list form [{name, expression}] (FORMATS.md §2).
template <class Fn>
void forEachNote(ir::Document& doc, Fn&& fn) {
  ir::Node* notes = doc.root ? doc.root->get("notes") : nullptr;
  if (!notes) return;
  if (notes->isMap()) {
    for (ir::MapEntry& e : notes->entries)
      fn(e.key, e.value->get("expression"), "notes." + e.key + ".expression");
  } else if (notes->isList()) {
    for (size_t i = 0; i < notes->items.size(); ++i) {
      const ir::Node* name = notes->items[i]->get("name");
      if (name && name->isString())
        fn(name->text, notes->items[i]->get("expression"), "notes[" + std::to_string(i) + "].expression");
    }
  }
}

class ParseTemplatesPass final : public Pass {
 public:
  std::string_view name() const override { return "parse-templates"; }
  std::string_view summary() const override {
    return "parse every template of CRD entries, motifs and notes; errors at their column";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    Walker w{ctx, {}};
    for (const auto& doc : module.documents)
      forEachNote(*doc, [&](const std::string& note, ir::Node*, const std::string&) {
        w.options.extraFunctions.push_back(note);
      });
    for (const auto& doc : module.documents) {
      forEachNote(*doc, [&](const std::string&, ir::Node* expr, const std::string& path) {
        if (expr) w.scalar(*expr, path);
      });
      for (ir::CrdEntry& entry : doc->crds)
        if (entry.body) w.walk(*entry.body, "spec.crds." + entry.name.value);
      if (doc->kind == ir::DocKind::Motif && doc->root && doc->root->isMap())
        for (ir::MapEntry& e : doc->root->entries)
          if (e.key != "apiVersion" && e.key != "kind" && e.key != "metadata" && e.key != "inputs" &&
              e.key != "lifecycle")
            w.walk(*e.value, e.key);
    }
  }
};

}  // namespace

Span templateSpan(const SourceManager& sm, const ir::Node& scalar, uint32_t offset, uint32_t length) {
  Span whole = scalar.span;
  if (!whole.valid() || whole.end <= whole.begin) return whole;
  std::string_view src = sm.contents(whole.file);
  if (whole.end > src.size()) return whole;
  const std::string& text = scalar.text;
  size_t j = whole.begin;
  char style = src[j];
  bool dq = style == '"', sq = style == '\'';
  if (dq || sq) ++j;
  // Align text bytes with source bytes; source bytes with no text counterpart (indentation, block
  // headers, folded line breaks) are skipped.
  size_t i = 0;
  size_t begin = whole.begin;
  bool found = false;
  while (i <= offset && i < text.size() && j < whole.end) {
    if (dq && src[j] == '\\') {
      size_t produced = escapeProduces(src, j);
      if (i <= offset && offset < i + produced) {
        begin = j;
        found = true;
        break;
      }
      i += produced;
      j += escapeLength(src, j);
      continue;
    }
    if (sq && src[j] == '\'' && j + 1 < whole.end && src[j + 1] == '\'') {
      if (i == offset) {
        begin = j;
        found = true;
        break;
      }
      ++i, j += 2;
      continue;
    }
    if (src[j] == text[i]) {
      if (i == offset) {
        begin = j;
        found = true;
        break;
      }
      ++i, ++j;
      continue;
    }
    ++j;
  }
  if (!found) return Span{whole.file, whole.begin, whole.begin};
  uint32_t b = static_cast<uint32_t>(begin);
  uint32_t e = std::min<uint32_t>(whole.end, b + std::max<uint32_t>(length, 1));
  return Span{whole.file, b, e};
}

PassPtr createParseTemplatesPass() { return std::make_unique<ParseTemplatesPass>(); }

}  // namespace ork::passes
