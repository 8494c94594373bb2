// The template AST of FORMATS.md §7 / §14.1: parts (text and actions), pipes, commands, operands.
// Every node keeps a byte offset into the template text; callers map offsets to source spans.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ork::tmpl {

struct Pipe;

/// How an operand gets its value (§14.1 `field` / `fn` / `lit` / `pipe`).
enum class OperandKind { Field, Function, Literal, Pipe };

/// One word of a command. A Field reads `path` from `from` ("." the dot, "$" the root, "$x" a
/// variable); `.` alone is a Field with an empty path. A Pipe operand is a parenthesised
/// pipeline, optionally followed by fields (`(index .x 0).name`), kept in `path`.
struct Operand {
  OperandKind kind = OperandKind::Literal;
  std::string from;               // Field: ".", "$" or "$name"
  std::vector<std::string> path;  // Field / Pipe: field names
  std::string fn;                 // Function: name
  nlohmann::json lit;             // Literal: string, integer, float, bool or null
  std::shared_ptr<Pipe> pipe;     // Pipe
  uint32_t offset = 0;
};

/// A command: operands separated by spaces; the first is the function when it is one.
struct Command {
  std::vector<Operand> operands;
  uint32_t offset = 0;
};

/// A pipeline `[$x :=] cmd | cmd …`; `vars` are the declared/assigned variables.
struct Pipe {
  std::vector<std::string> vars;
  bool decl = false;  // `:=` (declaration) rather than `=` (assignment)
  std::vector<Command> commands;
  uint32_t offset = 0;
};

/// Kinds of template parts: literal text, `{{ pipe }}` output, a variable set, control actions.
enum class PartKind { Text, Emit, Set, If, Range, With };

struct Part;

/// One `if`/`else if` arm: condition and body.
struct Branch {
  Pipe cond;
  std::vector<Part> body;
};

/// A part of a template. Text: `text`. Emit/Set: `pipe` (Set: `pipe.vars`, `pipe.decl`).
/// If: `branches` then `elseBody`. Range/With: `pipe` (Range: `pipe.vars` are the loop variables),
/// `body`, `elseBody`.
struct Part {
  PartKind kind = PartKind::Text;
  uint32_t offset = 0;
  std::string text;
  Pipe pipe;
  std::vector<Branch> branches;
  std::vector<Part> body;
  std::vector<Part> elseBody;
};

/// A parsed template: the text it was parsed from and its parts. A template rewritten on the AST
/// (motif expansion, support/template_subst.h) has the rewritten text as `source` and keeps the
/// offsets of the text it was first parsed from.
struct Template {
  std::string source;
  std::vector<Part> parts;
  /// Exactly one `{{ pipeline }}` and no text: evaluateValue keeps the value's type (§7.2).
  bool isSingleAction() const { return parts.size() == 1 && parts[0].kind == PartKind::Emit; }
};

}  // namespace ork::tmpl
