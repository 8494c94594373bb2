// Simulate and E2E builders (FORMATS.md §12.1, §12.4): validate, normalise (older top-level
// `expect`, defaults), and record every referenced path with its span for resolution.
#include "frontend/build_common.h"
#include "frontend/loader.h"
#include "frontend/schema.h"
#include "frontend/shapes.h"

namespace ork::frontend {
namespace {

using ir::MapEntry;
using ir::Node;
using ir::NodePtr;

constexpr int64_t kDefaultCycles = 10;
constexpr const char* kDefaultE2ETimeout = "60s";

/// `spec` is required unless the document is a list of `imports`; both at once is ambiguous.
void checkSpecOrImports(const Node& root, std::string_view kind, DiagnosticEngine& diags) {
  const MapEntry* spec = root.entry("spec");
  const MapEntry* imports = root.entry("imports");
  if (spec && imports) {
    Diagnostic& d = diags.report(DiagCode::ConflictingKeys, imports->keySpan,
                                 "a " + std::string(kind) + " document takes either 'spec' or 'imports', not both");
    d.path = "imports";
    diags.note(spec->keySpan, "spec given here");
    diags.help("move this document's assertions into one of the imported files, or drop 'imports'");
  } else if (!spec && !imports) {
    Diagnostic& d = diags.report(DiagCode::MissingField, root.span, "document: missing required field 'spec'");
    d.path = "spec";
    diags.help("set spec.katalog, or list other " + std::string(kind) + " files under 'imports'");
  }
}

/// §12.1: a top-level `expect` (older files) is read as `spec.expect`. The shape has
/// already warned that it is deprecated.
void moveTopLevelExpect(Node& root, DiagnosticEngine& diags) {
  const MapEntry* top = root.entry("expect");
  if (!top) return;
  Span keySpan = top->keySpan;
  Node* spec = root.get("spec");
  if (spec && spec->isMap() && spec->entry("expect")) {
    Diagnostic& d = diags.report(DiagCode::ConflictingKeys, keySpan,
                                 "'expect' is given both at the top level and in spec.expect");
    d.path = "expect";
    diags.note(spec->entry("expect")->keySpan, "spec.expect given here");
    return;
  }
  if (!spec) {
    if (root.entry("imports")) {
      Diagnostic& d = diags.report(DiagCode::ConflictingKeys, keySpan,
                                   "a top-level 'expect' cannot be used with 'imports'; each imported file has its own");
      d.path = "expect";
      return;
    }
    return;  // no spec: already reported as missing
  }
  if (!spec->isMap()) return;  // wrong type: reported by the shape
  NodePtr expect = root.take("expect");
  spec->set("expect", std::move(expect), keySpan);
}

/// Orkestra reads `count: 0` as "at least one", the same as no count (its zero value).
void dropZeroCounts(Node* expect) {
  if (!expect || !expect->isMap()) return;
  if (Node* ops = expect->get("ops"); ops && ops->isList()) {
    for (NodePtr& op : ops->items) {
      const Node* count = op->get("count");
      if (count && count->kind == ir::NodeKind::Int && count->intValue == 0) op->take("count");
    }
  }
  if (Node* crds = expect->get("crds"); crds && crds->isMap())
    for (MapEntry& e : crds->entries) dropZeroCounts(e.value.get());
}

void addPath(ir::Document& doc, const Node* n) {
  ir::Located l = located(n);
  if (!l.value.empty()) doc.referencedPaths.push_back(std::move(l));
}

void addPaths(ir::Document& doc, const Node* list) {
  if (!list || !list->isList()) return;
  for (const NodePtr& item : list->items) {
    if (item->isMap()) addPath(doc, item->get("path"));  // setup.apply: {path}
    else addPath(doc, item.get());
  }
}

/// katalog, cr, crFiles, crd, crdFiles (and E2E setup.apply), then top-level imports.
void collectPaths(const Node& root, ir::Document& doc) {
  if (const Node* spec = root.get("spec"); spec && spec->isMap()) {
    addPath(doc, spec->get("katalog"));
    addPath(doc, spec->get("cr"));
    addPaths(doc, spec->get("crFiles"));
    addPath(doc, spec->get("crd"));
    addPaths(doc, spec->get("crdFiles"));
    if (const Node* setup = spec->get("setup"); setup && setup->isMap()) addPaths(doc, setup->get("apply"));
  }
  addPaths(doc, root.get("imports"));
}

}  // namespace

bool buildSimulate(LoadContext& ctx, ir::Document& doc) {
  Node& root = *doc.root;
  size_t errorsBefore = ctx.diags.errorCount();
  validateShape(root, *simulateShape(), "", ctx.diags);
  extractMetadata(root, doc, ctx.diags);
  checkSpecOrImports(root, "Simulate", ctx.diags);
  moveTopLevelExpect(root, ctx.diags);
  if (Node* spec = root.get("spec"); spec && spec->isMap()) {
    if (!spec->get("cycles")) spec->set("cycles", Node::makeInt(kDefaultCycles, spec->span));
    dropZeroCounts(spec->get("expect"));
  }
  collectPaths(root, doc);
  return ctx.diags.errorCount() == errorsBefore;
}

bool buildE2E(LoadContext& ctx, ir::Document& doc) {
  Node& root = *doc.root;
  size_t errorsBefore = ctx.diags.errorCount();
  validateShape(root, *e2eShape(), "", ctx.diags);
  extractMetadata(root, doc, ctx.diags);
  checkSpecOrImports(root, "E2E", ctx.diags);
  if (Node* spec = root.get("spec"); spec && spec->isMap()) {
    if (Node* expect = spec->get("expect"); expect && expect->isList()) {
      for (NodePtr& item : expect->items)
        if (item->isMap() && !item->get("timeout")) item->set("timeout", Node::makeString(kDefaultE2ETimeout, item->span));
    }
  }
  collectPaths(root, doc);
  return ctx.diags.errorCount() == errorsBefore;
}

}  // namespace ork::frontend
