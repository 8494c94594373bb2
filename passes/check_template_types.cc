// check-template-types: collects the .spec/.status paths of every composed CRD (templates, condition
// fields, forEach.field, status paths) and checks them and one-action typing against the CRD schema.
#include "passes/check_template_types.h"

#include <map>
#include <set>

#include "frontend/shapes.h"
#include "passes/parse_templates.h"
#include "passes/template_schema.h"
#include "support/strings.h"
#include "support/template.h"

namespace ork::passes {
namespace {

using frontend::Shape;

// Keys parse-templates does not treat as templates (FORMATS.md §5.3); kept in step with it.
const std::set<std::string> kNotTemplates = {"forEach", "apiTypes", "crdFile", "crFiles", "dependsOn"};
const std::set<std::string> kScalarsNotTemplates = {"reconcile", "once", "namespaced", "hasStatus"};

/// What the field a template feeds needs (§5.3 for entry fields, §4.7 `type` for status fields).
enum class Target { None, Text, Integer, Number, Boolean, Quantity, IntOrString };

std::string targetName(Target t) {
  switch (t) {
    case Target::None:
    case Target::Text: return "text";
    case Target::Integer: return "an integer";
    case Target::Number: return "a number";
    case Target::Boolean: return "a boolean";
    case Target::Quantity: return "a quantity";
    case Target::IntOrString: return "an integer or string";
  }
  return "text";
}

Target targetOf(const Shape* s) {
  if (!s || s->kind != Shape::Kind::Scalar) return Target::None;
  switch (s->scalar) {
    case frontend::ScalarType::Any: return Target::None;
    case frontend::ScalarType::Int: return Target::Integer;
    case frontend::ScalarType::Number: return Target::Number;
    case frontend::ScalarType::Bool: return Target::Boolean;
    case frontend::ScalarType::Quantity: return Target::Quantity;
    case frontend::ScalarType::IntOrString: return Target::IntOrString;
    case frontend::ScalarType::String:
    case frontend::ScalarType::Duration:
    case frontend::ScalarType::Date:
    case frontend::ScalarType::SemverRange:
    case frontend::ScalarType::Name: return Target::Text;
  }
  return Target::None;
}

/// A status field's `type` (§4.7, aliases included); string and auto print the value as text.
Target statusTarget(const ir::Node* type) {
  std::string t = type && type->isScalar() ? type->scalarText() : "string";
  if (t == "integer" || t == "int") return Target::Integer;
  if (t == "number" || t == "float") return Target::Number;
  if (t == "boolean" || t == "bool") return Target::Boolean;
  return Target::Text;
}

/// The alternative of a one-of shape that fits the node's kind (as validateShape picks it).
const Shape* fitting(const Shape* s, const ir::Node& n) {
  if (!s || s->kind != Shape::Kind::OneOf) return s;
  for (const frontend::ShapeRef& alt : s->alternatives) {
    bool map = alt->kind == Shape::Kind::Record || alt->kind == Shape::Kind::MapOf;
    bool list = alt->kind == Shape::Kind::ListOf;
    if (alt->kind == Shape::Kind::Any || (n.isMap() && map) || (n.isList() && list) ||
        (n.isScalar() && !map && !list))
      return fitting(alt.get(), n);
  }
  return nullptr;
}

const Shape* childShape(const Shape* s, std::string_view key) {
  if (!s) return nullptr;
  if (s->kind == Shape::Kind::Record) {
    const frontend::Field* f = s->field(key);
    return f ? f->shape.get() : nullptr;
  }
  return s->kind == Shape::Kind::MapOf ? s->element.get() : nullptr;
}

/// Bytes of a literal operand in the template source (quoted, raw or bare).
uint32_t literalLength(const std::string& src, uint32_t at) {
  if (at >= src.size()) return 1;
  size_t i = at + 1;
  if (src[at] == '"') {
    while (i < src.size() && src[i] != '"') i += src[i] == '\\' ? 2 : 1;
    return static_cast<uint32_t>(std::min(i + 1, src.size()) - at);
  }
  if (src[at] == '`') {
    i = src.find('`', i);
    return static_cast<uint32_t>((i == std::string::npos ? src.size() : i + 1) - at);
  }
  while (i < src.size() && (std::isalnum(static_cast<unsigned char>(src[i])) || src[i] == '.' || src[i] == '-'))
    ++i;
  return static_cast<uint32_t>(i - at);
}

/// Bytes of the field chain (`.inputs.host`, `$.spec.x`) written at `at`.
uint32_t fieldLength(const std::string& src, uint32_t at) {
  size_t i = at;
  while (i < src.size() && (std::isalnum(static_cast<unsigned char>(src[i])) || src[i] == '.' || src[i] == '$' ||
                            src[i] == '_'))
    ++i;
  return static_cast<uint32_t>(std::max<size_t>(i - at, 1));
}

/// A path read somewhere in a CRD entry, and a one-action template's path feeding a typed field.
struct PathUse {
  std::vector<PathStep> steps;
  std::string dataPath;
  std::string viaInput;  // the motif input whose with: binding expansion substituted (§8.3)
};
struct TypedUse {
  size_t use = 0;
  Target target = Target::None;
  std::string dataPath;
};
/// A template that did not parse: its capitalised roots may get the schema's did-you-mean.
struct FailedTemplate {
  const ir::Node* node = nullptr;
  std::vector<tmpl::ParseError> errors;
};

/// Walks one composed CRD body beside its Shape and collects every .spec/.status path.
class Collector {
 public:
  Collector(const SourceManager& sm, std::vector<std::string> notes) : sm_(sm) {
    options_.extraFunctions = std::move(notes);
    const Shape* status = frontend::statusShape().get();
    statusField_ = status->field("fields")->shape->element.get();
    admission_ = frontend::admissionShape().get();
  }

  std::vector<PathUse> uses;
  std::vector<TypedUse> typed;
  std::vector<FailedTemplate> failed;

  void walk(const ir::Node& node, const Shape* shape, const std::string& path, bool inCustom, Target target) {
    shape = fitting(shape, node);
    switch (node.kind) {
      case ir::NodeKind::Null:
      case ir::NodeKind::Bool:
      case ir::NodeKind::Int:
      case ir::NodeKind::Float: return;
      case ir::NodeKind::String: scalar(node, path, target); return;
      case ir::NodeKind::List: {
        const Shape* item = shape && shape->kind == Shape::Kind::ListOf ? shape->element.get() : nullptr;
        for (size_t i = 0; i < node.items.size(); ++i)
          walk(*node.items[i], item, path + "[" + std::to_string(i) + "]", inCustom, targetOf(item));
        return;
      }
      case ir::NodeKind::Map: walkMap(node, shape, path, inCustom); return;
    }
  }

 private:
  void walkMap(const ir::Node& node, const Shape* shape, const std::string& path, bool inCustom) {
    std::vector<std::string> saved = options_.extraRoots;
    if (const ir::Node* each = node.get("forEach")) {
      if (const ir::Node* as = each->get("as"); as && as->isString() && !as->text.empty())
        options_.extraRoots.push_back(as->text);
    }
    bool statusField = shape && shape == statusField_;
    for (const ir::MapEntry& e : node.entries) {
      std::string sub = path.empty() ? e.key : path + "." + e.key;
      const ir::Node& v = *e.value;
      if (e.key == "forEach" && v.isMap()) {
        if (const ir::Node* field = v.get("field")) dotPath(*field, sub + ".field", {});
        continue;
      }
      if (kNotTemplates.count(e.key) || (kScalarsNotTemplates.count(e.key) && v.isScalar())) continue;
      if (inCustom && (e.key == "apiVersion" || e.key == "kind")) continue;
      if (shape == admission_ && e.key == "conversion") continue;  // templated over other versions
      if ((e.key == "when" || e.key == "or") && v.isList()) {
        for (size_t i = 0; i < v.items.size(); ++i)
          if (const ir::Node* field = v.items[i]->get("field"))
            conditionField(*field, sub + "[" + std::to_string(i) + "].field");
        continue;
      }
      if (statusField && e.key == "path") {
        dotPath(v, sub, {"status"});
        continue;
      }
      if (e.key == "field" && path.size() > 1 && path.back() == ']' && path.find(".rules[") != std::string::npos) {
        conditionField(v, sub);  // admission rules: a condition's field, or the path a mutation sets
        continue;
      }
      const Shape* child = childShape(shape, e.key);
      Target target = statusField && e.key == "value" ? statusTarget(node.get("type")) : targetOf(fitting(child, v));
      walk(v, child, sub, e.key == "custom" || (inCustom && !v.isMap()), target);
    }
    options_.extraRoots = std::move(saved);
  }

  void conditionField(const ir::Node& field, const std::string& path) {
    if (field.isString() && tmpl::hasActions(field.text))
      scalar(field, path, Target::None);
    else
      dotPath(field, path, {});
  }

  /// A dot path (`spec.shards`, a status `path` under `prefix`): one step per segment, each reported
  /// from the path's start to the segment's end.
  void dotPath(const ir::Node& node, const std::string& dataPath, const std::vector<std::string>& prefix) {
    if (!node.isString() || node.text.empty() || tmpl::hasActions(node.text)) return;
    const std::string& text = node.text;
    size_t start = text[0] == '.' ? 1 : 0;
    PathUse use{{}, dataPath};
    for (const std::string& p : prefix) use.steps.push_back({p, false, node.span});
    size_t pos = start;
    for (const std::string& seg : split(text.substr(start), '.')) {
      if (seg.empty()) return;
      bool digits = seg.find_first_not_of("0123456789") == std::string::npos;
      uint32_t end = static_cast<uint32_t>(pos + seg.size());
      use.steps.push_back({seg, digits, templateSpan(sm_, node, static_cast<uint32_t>(start), end - start)});
      pos = end + 1;
    }
    if (use.steps.empty() || (use.steps[0].name != "spec" && use.steps[0].name != "status")) return;
    uses.push_back(std::move(use));
  }

  // ── templates ────────────────────────────────────────────────────────────
  void scalar(const ir::Node& node, const std::string& path, Target target) {
    if (!node.isString() || !tmpl::hasActions(node.text)) return;
    std::shared_ptr<const tmpl::Template> t = node.parsed;
    if (!t) {
      tmpl::ParseResult r = tmpl::parse(node.text, options_);
      if (!r.ok()) {
        failed.push_back({&node, std::move(r.errors)});
        return;
      }
      t = r.tmpl;
    }
    node_ = &node;
    source_ = &node.text;  // offsets are into the text as written, also after motif expansion rewrote it
    dataPath_ = path;
    soleReads_.clear();
    parts(t->parts, true);
    if (target != Target::None)
      if (std::optional<size_t> use = soleRead(*t)) typed.push_back({*use, target, path});
  }

  void parts(const std::vector<tmpl::Part>& list, bool dotTop) {
    for (const tmpl::Part& p : list) {
      switch (p.kind) {
        case tmpl::PartKind::Text: break;
        case tmpl::PartKind::Emit:
        case tmpl::PartKind::Set: pipe(p.pipe, dotTop); break;
        case tmpl::PartKind::If:
          for (const tmpl::Branch& b : p.branches) {
            pipe(b.cond, dotTop);
            parts(b.body, dotTop);
          }
          parts(p.elseBody, dotTop);
          break;
        case tmpl::PartKind::Range:
        case tmpl::PartKind::With:
          pipe(p.pipe, dotTop);
          parts(p.body, false);  // dot is the element / the value inside
          parts(p.elseBody, dotTop);
          break;
      }
    }
  }

  void pipe(const tmpl::Pipe& p, bool dotTop) {
    for (const tmpl::Command& c : p.commands) command(c, dotTop);
  }

  /// `default LIT` with `args` arguments in all (the piped form has 1, `default LIT X` has 2).
  static bool isDefaultLiteral(const tmpl::Command& c, size_t args) {
    return c.operands.size() == args + 1 && c.operands[0].kind == tmpl::OperandKind::Function &&
           c.operands[0].fn == "default" && c.operands[1].kind == tmpl::OperandKind::Literal;
  }

  static bool readsData(const tmpl::Operand& op, bool dotTop) {
    return op.kind == tmpl::OperandKind::Field && ((op.from == "." && dotTop) || op.from == "$") &&
           !op.path.empty() && (op.path[0] == "spec" || op.path[0] == "status");
  }

  void command(const tmpl::Command& c, bool dotTop) {
    const auto& ops = c.operands;
    size_t i = 0;
    if (ops.size() >= 2 && ops[0].kind == tmpl::OperandKind::Function && ops[0].fn == "index" &&
        readsData(ops[1], dotTop)) {
      // `index .spec.items 0 "name"`: literal keys and indexes extend the path (§7.4).
      PathUse use{fieldSteps(ops[1]), dataPath_, substitutedInput(ops[1])};
      for (i = 2; i < ops.size() && ops[i].kind == tmpl::OperandKind::Literal; ++i) {
        const nlohmann::json& lit = ops[i].lit;
        if (!lit.is_string() && !lit.is_number_integer()) break;
        Span span = templateSpan(sm_, *node_, ops[i].offset, literalLength(*source_, ops[i].offset));
        use.steps.push_back({lit.is_string() ? lit.get<std::string>() : std::to_string(lit.get<int64_t>()),
                             lit.is_number_integer(), span});
      }
      if (i == ops.size() && ops.size() > 2) soleReads_[&c] = uses.size();
      uses.push_back(std::move(use));
    }
    for (; i < ops.size(); ++i) {
      const tmpl::Operand& op = ops[i];
      if (readsData(op, dotTop)) {
        if (ops.size() == 1 || (i == 2 && isDefaultLiteral(c, 2))) soleReads_[&c] = uses.size();
        uses.push_back({fieldSteps(op), dataPath_, substitutedInput(op)});
      } else if (op.kind == tmpl::OperandKind::Pipe && op.pipe) {
        pipe(*op.pipe, dotTop);
      }
    }
  }

  /// `image` when motif expansion put this read where the motif wrote `.inputs.image`.
  std::string substitutedInput(const tmpl::Operand& op) const {
    const std::string& src = *source_;
    if (src.compare(op.offset, 8, ".inputs.") != 0) return "";
    uint32_t len = fieldLength(src, op.offset);
    return split(src.substr(op.offset + 8, len > 8 ? len - 8 : 0), '.').front();
  }

  /// One step per field name; a step's span runs from the operand's start to the name's end.
  std::vector<PathStep> fieldSteps(const tmpl::Operand& op) {
    std::vector<PathStep> steps;
    const std::string& src = *source_;
    size_t p = op.offset + (op.from[0] == '$' ? op.from.size() : 0);
    bool aligned = true;
    for (const std::string& name : op.path) {
      if (aligned && p < src.size() && src[p] == '.' && src.compare(p + 1, name.size(), name) == 0) {
        p += 1 + name.size();
      } else {
        aligned = false;
      }
      // A read motif expansion substituted for `.inputs.X` carries that operand's offset: report there.
      steps.push_back({name, false, templateSpan(sm_, *node_, op.offset, aligned ? static_cast<uint32_t>(p - op.offset)
                                                                                 : fieldLength(src, op.offset))});
    }
    return steps;
  }

  /// The path a template reads when it is exactly one action of one read (`.spec.x`, `index …`),
  /// optionally with `| default LIT` or `default LIT <read>`; white space around it is trimmed (§5.3).
  std::optional<size_t> soleRead(const tmpl::Template& t) const {
    const tmpl::Pipe* only = nullptr;
    for (const tmpl::Part& p : t.parts) {
      if (p.kind == tmpl::PartKind::Text && trim(p.text).empty()) continue;
      if (p.kind != tmpl::PartKind::Emit || only) return std::nullopt;
      only = &p.pipe;
    }
    if (!only || !only->vars.empty() || only->commands.empty() || only->commands.size() > 2) return std::nullopt;
    auto isDefault = [](const tmpl::Command& c, size_t args) { return isDefaultLiteral(c, args); };
    if (only->commands.size() == 2 && !isDefault(only->commands[1], 1)) return std::nullopt;
    auto it = soleReads_.find(&only->commands[0]);
    return it == soleReads_.end() ? std::nullopt : std::optional<size_t>(it->second);
  }

  const SourceManager& sm_;
  tmpl::ParseOptions options_;
  const Shape* statusField_ = nullptr;
  const Shape* admission_ = nullptr;
  const ir::Node* node_ = nullptr;
  const std::string* source_ = nullptr;
  std::string dataPath_;
  std::map<const tmpl::Command*, size_t> soleReads_;
};

enum class Fit { Ok, Warn, Error };

/// Whether a value the schema types as `s` converts to what the field needs (§5.3, §7.2 output).
Fit fit(SchemaType s, Target t) {
  if (s == SchemaType::Unknown) return Fit::Ok;
  bool composite = s == SchemaType::Object || s == SchemaType::Array;
  bool text = s == SchemaType::String || s == SchemaType::IntOrString;
  switch (t) {
    case Target::None: return Fit::Ok;
    case Target::Text:
    case Target::IntOrString: return composite ? Fit::Error : Fit::Ok;
    case Target::Quantity: return composite || s == SchemaType::Boolean ? Fit::Error : Fit::Ok;
    case Target::Integer:
      if (s == SchemaType::Integer) return Fit::Ok;
      return text || s == SchemaType::Number ? Fit::Warn : Fit::Error;
    case Target::Number:
      if (s == SchemaType::Integer || s == SchemaType::Number) return Fit::Ok;
      return text ? Fit::Warn : Fit::Error;
    case Target::Boolean:
      if (s == SchemaType::Boolean) return Fit::Ok;
      return text ? Fit::Warn : Fit::Error;
  }
  return Fit::Ok;
}

/// Reports one CRD's collected paths against its schema.
class Checker {
 public:
  Checker(PassContext& ctx, const CrdSchema& schema) : ctx_(ctx), schema_(schema) {}

  void path(const PathUse& use) {
    SchemaLookup r = lookupSchemaPath(*schema_.root, use.steps);
    const PathStep* at = r.failedAt < use.steps.size() ? &use.steps[r.failedAt] : nullptr;
    std::string whole = "'" + displayPath(use.steps, use.steps.size()) + "' is not in the " + schemaName() + ": ";
    std::string parent = r.failedAt == 0 ? "the root object" : displayPath(use.steps, r.failedAt);
    switch (r.status) {
      case SchemaLookup::Status::Found:
      case SchemaLookup::Status::Open: return;
      case SchemaLookup::Status::UnknownField:
        if (!report(DiagCode::SchemaUnknownField, at->span, use.dataPath,
                    whole + parent + " has no field '" + at->name + "'" + didYouMean(at->name, r.siblings)))
          return;
        if (r.parent && r.parent->span.valid()) ctx_.diags.note(r.parent->span, "the schema of " + parent);
        throughInput(use);
        return;
      case SchemaLookup::Status::NotTraversable:
        if (report(DiagCode::SchemaNotTraversable, at->span, use.dataPath,
                   whole + parent + " is " + schemaTypeName(r.parentType) +
                       (at->index ? ", not a list" : ", not an object")))
          throughInput(use);
        return;
    }
  }

  void typing(const TypedUse& t, const PathUse& use) {
    SchemaLookup r = lookupSchemaPath(*schema_.root, use.steps);
    if (r.status != SchemaLookup::Status::Found || use.steps.empty()) return;
    Span first = use.steps.front().span, last = use.steps.back().span;
    Span span = first.file == last.file && last.end > first.begin ? Span{first.file, first.begin, last.end} : last;
    std::string shown = "'" + displayPath(use.steps, use.steps.size()) + "'";
    std::string is = shown + " is " + schemaTypeName(r.type) + " in the " + schemaName();
    switch (fit(r.type, t.target)) {
      case Fit::Ok: return;
      case Fit::Warn: {
        if (!report(DiagCode::SchemaStringIntoTyped, span, t.dataPath,
                    schemaTypeName(r.type) + " path into " + targetName(t.target) + " field: " + is))
          return;
        throughInput(use);
        ctx_.diags.help("a value that does not convert to " + targetName(t.target) +
                          " fails the reconcile; give the field that type in the CRD schema");
        return;
      }
      case Fit::Error:
        if (t.target == Target::Text) {
          if (!report(DiagCode::SchemaTypeMismatch, span, t.dataPath, is + " and cannot be printed as text")) return;
          throughInput(use);
          ctx_.diags.help("use toJson or toYaml to print it");
          return;
        }
        if (report(DiagCode::SchemaTypeMismatch, span, t.dataPath, is + " and cannot convert to " + targetName(t.target)))
          throughInput(use);
        return;
    }
  }

  /// `.Spec.Replcas`: parse-templates said "did you mean '.spec.replcas'?"; the schema knows better.
  void capitalised(const FailedTemplate& f) {
    const std::string& text = f.node->text;
    for (const tmpl::ParseError& e : f.errors) {
      if (e.code != DiagCode::TemplateUnknownRoot || e.offset + 1 >= text.size() || text[e.offset] != '.' ||
          !std::isupper(static_cast<unsigned char>(text[e.offset + 1])))
        continue;
      std::vector<std::string> written;
      for (size_t p = e.offset; p < text.size() && text[p] == '.';) {
        size_t q = p + 1;
        while (q < text.size() && (std::isalnum(static_cast<unsigned char>(text[q])) || text[q] == '_')) ++q;
        if (q == p + 1) break;
        written.push_back(text.substr(p + 1, q - p - 1));
        p = q;
      }
      std::vector<PathStep> steps;
      for (const std::string& w : written) steps.push_back({toLower(w.substr(0, 1)) + w.substr(1), false, {}});
      if (steps.empty() || (steps[0].name != "spec" && steps[0].name != "status")) continue;
      SchemaLookup r = lookupSchemaPath(*schema_.root, steps);
      if (r.status != SchemaLookup::Status::UnknownField) continue;
      std::optional<std::string> better = suggest(steps[r.failedAt].name, r.siblings);
      if (!better) continue;
      steps[r.failedAt].name = *better;
      Span span = templateSpan(ctx_.sm, *f.node, e.offset, e.length);
      if (Diagnostic* d = ctx_.diags.find(DiagCode::TemplateUnknownRoot, span))
        d->message = "unknown data root '." + join(written, ".") + "' (did you mean '" +
                     displayPath(steps, steps.size()) + "'?)";
    }
  }

 private:
  void throughInput(const PathUse& use) {
    if (!use.viaInput.empty())
      ctx_.diags.note({}, "read through motif input '" + use.viaInput + "': the path is its with: binding");
  }

  std::string schemaName() const { return schema_.kind + " " + schema_.version + " schema"; }

  /// Reports once per code, span and message (a motif node may reach two paths of one CRD).
  bool report(DiagCode code, Span span, const std::string& dataPath, std::string message) {
    if (!reported_.insert({static_cast<int>(code), span.file, span.begin, message}).second) return false;
    ctx_.diags.report(code, span, std::move(message)).path = dataPath;
    return true;
  }

  PassContext& ctx_;
  const CrdSchema& schema_;
  std::set<std::tuple<int, FileId, uint32_t, std::string>> reported_;
};

/// Names of every note (§2): zero-argument functions in templates, as parse-templates reads them.
std::vector<std::string> noteNames(const ir::Module& module) {
  std::vector<std::string> out;
  for (const auto& doc : module.documents) {
    const ir::Node* notes = doc->root ? doc->root->get("notes") : nullptr;
    if (notes && notes->isMap())
      for (const ir::MapEntry& e : notes->entries) out.push_back(e.key);
    if (notes && notes->isList())
      for (const ir::NodePtr& n : notes->items)
        if (const ir::Node* name = n->get("name"); name && name->isString()) out.push_back(name->text);
  }
  return out;
}

class CheckTemplateTypesPass final : public Pass {
 public:
  std::string_view name() const override { return "check-template-types"; }
  std::string_view summary() const override {
    return "check .spec and .status paths and one-action template types against the CRD schema";
  }

  void run(ir::Module& module, PassContext& ctx) override {
    std::vector<std::string> notes = noteNames(module);
    SchemaFinder finder(module, ctx);
    for (const ir::CrdEntry& entry : module.composedCrds) {
      if (!entry.enabled || !entry.body) continue;
      Collector c(ctx.sm, notes);
      c.walk(*entry.body, frontend::crdEntryShape().get(), "spec.crds." + entry.name.value, false, Target::None);
      if (c.uses.empty() && c.failed.empty()) continue;
      CrdSchema schema = finder.find(entry);
      if (!schema.root) {
        if (!schema.silent && !c.uses.empty())
          ctx.diags.report(DiagCode::SchemaUnavailable, entry.name.span,
                           "CRD '" + entry.name.value + "': " + schema.missingReason +
                               "; its .spec and .status paths are not checked")
              .path = "spec.crds." + entry.name.value;
        continue;
      }
      Checker k(ctx, schema);
      for (const PathUse& use : c.uses) k.path(use);
      for (const TypedUse& t : c.typed) k.typing(t, c.uses[t.use]);
      for (const FailedTemplate& f : c.failed) k.capitalised(f);
    }
  }
};

}  // namespace

PassPtr createCheckTemplateTypesPass() { return std::make_unique<CheckTemplateTypesPass>(); }

}  // namespace ork::passes
