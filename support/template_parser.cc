// Parser of the Go text/template subset of FORMATS.md §7.1 into the AST of support/template_ast.h:
// control structure, pipelines and operands, with data-root, function and variable checks.
#include <set>

#include "support/strings.h"
#include "support/template.h"
#include "support/template_functions.h"
#include "support/template_lexer.h"

namespace ork::tmpl {
namespace {

const std::set<std::string> kKeywords = {"if", "else", "end", "range", "with"};
const std::set<std::string> kUnsupported = {"define", "template", "block", "break", "continue"};

struct Fatal {};  // thrown inside this file only, caught by parse()

struct Leave {  // closes one nesting level when a parse function returns or unwinds
  int& depth;
  ~Leave() { --depth; }
};

class Parser {
 public:
  Parser(std::string_view src, const std::vector<LexItem>& items, const ParseOptions& options)
      : src_(src), items_(items) {
    roots_ = dataRoots();
    for (const std::string& r : options.extraRoots) roots_.push_back(r);
    extraFunctions_ = options.extraFunctions;
    scopes_.push_back({"$"});
  }

  std::vector<Part> parseTop() {
    std::string stop;
    std::vector<Part> parts = parseList(stop);
    if (stop == "end") syntax(stopOffset_, 3, "unexpected {{end}}");
    if (stop == "else") syntax(stopOffset_, 4, "unexpected {{else}}");
    return parts;
  }

  std::vector<ParseError> errors;

 private:
  [[noreturn]] void syntax(uint32_t offset, uint32_t length, std::string message) {
    errors.push_back({DiagCode::TemplateSyntax, offset, length, std::move(message), {}});
    throw Fatal{};
  }

  const Token* peek(size_t ahead = 0) const {
    return t_ + ahead < toks_->size() ? &(*toks_)[t_ + ahead] : nullptr;
  }
  std::string tokenText(const Token& t) const { return std::string(src_.substr(t.offset, t.length)); }
  uint32_t here() const { return peek() ? peek()->offset : actionEnd_; }

  void expectEndOfAction(const char* context) {
    if (const Token* t = peek())
      syntax(t->offset, t->length, "unexpected \"" + tokenText(*t) + "\" in " + context);
  }

  void beginAction(const LexItem& item) {
    toks_ = &item.tokens;
    t_ = 0;
    actionOffset_ = item.offset;
    actionEnd_ = item.closeOffset;
  }

  // Parses parts until {{end}}, {{else …}} or the end of the text; `stop` says which.
  std::vector<Part> parseList(std::string& stop) {
    std::vector<Part> parts;
    while (i_ < items_.size()) {
      const LexItem& item = items_[i_++];
      if (item.isText) {
        Part p;
        p.kind = PartKind::Text;
        p.offset = item.offset;
        p.text = item.text;
        parts.push_back(std::move(p));
        continue;
      }
      beginAction(item);
      const Token* first = peek();
      if (!first) syntax(item.closeOffset, 2, "missing value for command");
      if (first->kind == Tok::Ident) {
        const std::string& w = first->text;
        if (w == "end" || w == "else") {
          ++t_;
          stop = w;
          stopOffset_ = first->offset;
          if (w == "end") expectEndOfAction("end");
          return parts;
        }
        if (kUnsupported.count(w)) {
          errors.push_back(
              {DiagCode::TemplateUnsupportedAction, first->offset, first->length,
               "'" + w + "' is not supported in ork templates",
               "supported actions: if, else if, else, range, with, end, variables and pipelines"});
          throw Fatal{};
        }
        if (w == "if") {
          parts.push_back(parseIf(*first));
          continue;
        }
        if (w == "range" || w == "with") {
          parts.push_back(parseRangeWith(*first));
          continue;
        }
      }
      Part p;
      p.offset = item.offset;
      p.pipe = parsePipeline("command", false);
      p.kind = p.pipe.vars.empty() ? PartKind::Emit : PartKind::Set;
      expectEndOfAction("command");
      parts.push_back(std::move(p));
    }
    stop = "eof";
    return parts;
  }

  // Bounds recursion on hostile input (`((((…`, thousands of nested ifs).
  void enter(const Token& t) {
    if (++depth_ > kMaxDepth)
      syntax(t.offset, t.length, "template nests too deeply (limit " + std::to_string(kMaxDepth) + ")");
  }

  Part parseIf(const Token& keyword) {
    enter(keyword);
    Leave leave{depth_};
    Part p;
    p.kind = PartKind::If;
    p.offset = actionOffset_;
    scopes_.emplace_back();
    ++t_;
    while (true) {
      Branch b;
      b.cond = parsePipeline("if", false);
      expectEndOfAction("if");
      std::string stop;
      b.body = parseList(stop);
      p.branches.push_back(std::move(b));
      if (stop == "eof")
        syntax(keyword.offset, keyword.length, "unexpected end of template: missing {{end}} for 'if'");
      if (stop == "end") break;
      const Token* next = peek();
      if (next && next->kind == Tok::Ident && next->text == "if") {
        ++t_;
        continue;
      }
      expectEndOfAction("else");
      p.elseBody = parseList(stop);
      if (stop != "end") endOfElse(stop, keyword);
      break;
    }
    scopes_.pop_back();
    return p;
  }

  void endOfElse(const std::string& stop, const Token& keyword) {
    if (stop == "else") syntax(stopOffset_, 4, "unexpected {{else}} after {{else}}");
    syntax(keyword.offset, keyword.length,
           "unexpected end of template: missing {{end}} for '" + keyword.text + "'");
  }

  Part parseRangeWith(const Token& keyword) {
    enter(keyword);
    Leave leave{depth_};
    Part p;
    p.kind = keyword.text == "range" ? PartKind::Range : PartKind::With;
    p.offset = actionOffset_;
    scopes_.emplace_back();
    ++t_;
    p.pipe = parsePipeline(keyword.text.c_str(), p.kind == PartKind::Range);
    expectEndOfAction(keyword.text.c_str());
    ++dotRebound_;
    std::string stop;
    p.body = parseList(stop);
    --dotRebound_;
    if (stop == "eof") endOfElse(stop, keyword);
    if (stop == "else") {
      expectEndOfAction("else");
      p.elseBody = parseList(stop);
      if (stop != "end") endOfElse(stop, keyword);
    }
    scopes_.pop_back();
    return p;
  }

  bool isDeclared(const std::string& var) const {
    for (const auto& scope : scopes_)
      if (scope.count(var)) return true;
    return false;
  }

  // `[$x :=|=] command { | command }`; `range` also takes `$i, $v :=`.
  Pipe parsePipeline(const char* context, bool rangeVars) {
    Pipe pipe;
    pipe.offset = here();
    std::vector<const Token*> vars;
    const Token* a = peek();
    if (a && a->kind == Tok::Var && a->path.empty()) {
      const Token* b = peek(1);
      if (b && (b->kind == Tok::Declare || b->kind == Tok::Assign)) {
        vars.push_back(a);
        pipe.decl = b->kind == Tok::Declare;
        t_ += 2;
      } else if (rangeVars && b && b->kind == Tok::Comma && peek(2) && peek(2)->kind == Tok::Var && peek(3) &&
                 peek(3)->kind == Tok::Declare) {
        vars = {a, peek(2)};
        pipe.decl = true;
        t_ += 4;
      }
    }
    for (const Token* v : vars) {
      pipe.vars.push_back(v->text);
      if (!pipe.decl && !isDeclared(v->text))
        errors.push_back({DiagCode::TemplateUndefinedVariable, v->offset, v->length,
                          "undefined variable \"" + v->text + "\"",
                          "declare it first with " + v->text + " := …"});
    }
    while (true) {
      pipe.commands.push_back(parseCommand(context, pipe.commands.size()));
      const Token* t = peek();
      if (t && t->kind == Tok::Bar) {
        ++t_;
        continue;
      }
      break;
    }
    if (pipe.decl)
      for (const Token* v : vars) scopes_.back().insert(v->text);
    return pipe;
  }

  Command parseCommand(const char* context, size_t stage) {
    Command cmd;
    cmd.offset = here();
    while (const Token* t = peek()) {
      if (t->kind == Tok::Bar || t->kind == Tok::RParen) break;
      cmd.operands.push_back(parseOperand());
    }
    if (cmd.operands.empty()) {
      const Token* t = peek();
      syntax(t ? t->offset : actionEnd_, t ? t->length : 2, std::string("missing value for ") + context);
    }
    const Operand& head = cmd.operands.front();
    if (head.kind != OperandKind::Function) {
      if (stage > 0)
        syntax(head.offset, 1, "a value cannot receive a piped value: only a function can follow '|'");
      if (cmd.operands.size() > 1)
        syntax(cmd.operands[1].offset, 1, "cannot give an argument to a value that is not a function");
    }
    return cmd;
  }

  Operand parseOperand() {
    const Token& t = (*toks_)[t_++];
    Operand op;
    op.offset = t.offset;
    switch (t.kind) {
      case Tok::Field:
        op.kind = OperandKind::Field;
        op.from = ".";
        op.path = t.path;
        if (!t.path.empty() && dotRebound_ == 0) checkRoot(t, t.path);
        return op;
      case Tok::Var:
        op.kind = OperandKind::Field;
        op.from = t.text;
        op.path = t.path;
        if (t.text == "$") {
          if (!t.path.empty()) checkRoot(t, t.path);
        } else if (!isDeclared(t.text)) {
          errors.push_back({DiagCode::TemplateUndefinedVariable, t.offset,
                            static_cast<uint32_t>(t.text.size()), "undefined variable \"" + t.text + "\"",
                            "declare it first with " + t.text + " := …"});
        }
        return op;
      case Tok::String:
      case Tok::Number:
        op.kind = OperandKind::Literal;
        op.lit = t.value;
        return op;
      case Tok::LParen: return parseParenthesised(t);
      case Tok::Ident: return parseIdent(t);
      case Tok::RParen:
      case Tok::Bar:
      case Tok::Declare:
      case Tok::Assign:
      case Tok::Comma:
      case Tok::End: break;
    }
    syntax(t.offset, t.length, "unexpected \"" + tokenText(t) + "\" in operand");
  }

  Operand parseParenthesised(const Token& open) {
    enter(open);
    Leave leave{depth_};
    Operand op;
    op.kind = OperandKind::Pipe;
    op.offset = open.offset;
    op.pipe = std::make_shared<Pipe>(parsePipeline("parenthesized pipeline", false));
    const Token* close = peek();
    if (!close || close->kind != Tok::RParen) syntax(open.offset, 1, "unclosed left parenthesis");
    ++t_;
    const Token* chained = peek();
    if (chained && chained->kind == Tok::Field && chained->adjacent && !chained->path.empty()) {
      op.path = chained->path;
      ++t_;
    }
    return op;
  }

  Operand parseIdent(const Token& t) {
    Operand op;
    op.offset = t.offset;
    if (t.text == "true" || t.text == "false" || t.text == "nil") {
      op.kind = OperandKind::Literal;
      op.lit = t.text == "nil" ? nlohmann::json() : nlohmann::json(t.text == "true");
      return op;
    }
    if (kKeywords.count(t.text)) syntax(t.offset, t.length, "unexpected '" + t.text + "' in operand");
    if (kUnsupported.count(t.text)) {
      errors.push_back({DiagCode::TemplateUnsupportedAction,
                        t.offset,
                        t.length,
                        "'" + t.text + "' is not supported in ork templates",
                        {}});
      throw Fatal{};
    }
    op.kind = OperandKind::Function;
    op.fn = t.text;
    bool known = isFunction(t.text) ||
                 std::find(extraFunctions_.begin(), extraFunctions_.end(), t.text) != extraFunctions_.end();
    if (!known) {
      std::vector<std::string> candidates = functionNames();
      candidates.insert(candidates.end(), extraFunctions_.begin(), extraFunctions_.end());
      if (t.text == "get") {  // Helm/sprig's get: point to index rather than to `ge`
        errors.push_back(
            {DiagCode::TemplateUnknownFunction, t.offset, t.length, "unknown function 'get'",
             "use index to read nested keys: index .children.statefulset \"status\" \"readyReplicas\""});
        return op;
      }
      errors.push_back({DiagCode::TemplateUnknownFunction,
                        t.offset,
                        t.length,
                        "unknown function '" + t.text + "'" + didYouMean(t.text, candidates),
                        {}});
    }
    return op;
  }

  // `.Name` → `.metadata.name`, `.Spec.X` → `.spec.x` (§7.1); lowercase roots get a did-you-mean.
  void checkRoot(const Token& t, const std::vector<std::string>& path) {
    const std::string& root = path.front();
    if (std::find(roots_.begin(), roots_.end(), root) != roots_.end()) return;
    std::string written = (t.kind == Tok::Var ? "$." : ".") + root;
    std::string hint;
    if (root == "Name" || root == "Namespace" || root == "Labels" || root == "Annotations" || root == "UID") {
      hint = ".metadata." + toLower(root);
    } else if (!root.empty() && std::isupper(static_cast<unsigned char>(root[0]))) {
      std::string lowered = toLower(root.substr(0, 1)) + root.substr(1);
      if (std::find(roots_.begin(), roots_.end(), lowered) != roots_.end()) {
        hint = "." + lowered;
        for (size_t i = 1; i < path.size(); ++i)
          hint += "." + toLower(path[i].substr(0, 1)) + path[i].substr(1);
        written = ".";
        for (size_t i = 0; i < path.size(); ++i) written += (i ? "." : "") + path[i];
      }
    }
    std::string message = "unknown data root '" + written + "'";
    if (!hint.empty()) {
      message += " (did you mean '" + hint + "'?)";
    } else {
      std::vector<std::string> dotted;
      for (const std::string& r : roots_) dotted.push_back("." + r);
      message += didYouMean("." + root, dotted);
    }
    std::vector<std::string> dotted;
    for (const std::string& r : roots_) dotted.push_back("." + r);
    std::string help = "data roots are " + join(dotted, ", ");
    if (root == "cross" || root == "observe")  // Orkestra's operatorBox.observe (formerly cross), §1.1
      help = "operatorBox.observe (formerly cross) is not supported by ork, so templates cannot read it; " +
             help;
    errors.push_back({DiagCode::TemplateUnknownRoot, t.offset, t.length, message, help});
  }

  std::string_view src_;
  const std::vector<LexItem>& items_;
  size_t i_ = 0;
  const std::vector<Token>* toks_ = nullptr;
  size_t t_ = 0;
  uint32_t actionOffset_ = 0, actionEnd_ = 0, stopOffset_ = 0;
  int dotRebound_ = 0;
  int depth_ = 0;  // open ifs, ranges, withs and parentheses
  static constexpr int kMaxDepth = 1000;
  std::vector<std::string> roots_;
  std::vector<std::string> extraFunctions_;
  std::vector<std::set<std::string>> scopes_;
};

}  // namespace

const std::vector<std::string>& dataRoots() {
  static const std::vector<std::string> roots = {"metadata", "spec", "status", "children",
                                                 "inputs",   "item", "value"};
  return roots;
}

ParseResult parse(std::string_view text, const ParseOptions& options) {
  ParseResult result;
  std::vector<LexItem> items;
  SyntaxError lexError;
  if (!lexTemplate(text, items, lexError)) {
    result.errors.push_back(
        {DiagCode::TemplateSyntax, lexError.offset, lexError.length, lexError.message, {}});
    return result;
  }
  Parser parser(text, items, options);
  auto tmpl = std::make_shared<Template>();
  tmpl->source = std::string(text);
  try {
    tmpl->parts = parser.parseTop();
  } catch (const Fatal&) {}
  result.errors = std::move(parser.errors);
  if (result.errors.empty()) result.tmpl = std::move(tmpl);
  return result;
}

}  // namespace ork::tmpl
