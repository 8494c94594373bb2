// Motif expansion on the template AST (FORMATS.md §8.3 step 2): `.inputs.X` operands replaced by
// their bindings, constant folding of templates that no longer read data, and the AST printed back
// as template text (for `ork template --katalog` and condition fields).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/template_ast.h"

namespace ork::tmpl {

/// What one motif input stands for in the motif's templates.
struct InputBinding {
  /// Value: a literal binding or default (typed constant; null when unbound without default).
  /// Pipe: a one-action template (`"{{ .spec.image }}"`). Text: a template mixing text and actions.
  enum class Kind { Value, Pipe, Text };
  Kind kind = Kind::Value;
  nlohmann::json value;
  std::shared_ptr<const Template> tmpl;  // Pipe / Text
};

/// Every declared input of a motif, by name (undeclared names are absent).
using InputBindings = std::map<std::string, InputBinding>;

/// A read of `.inputs` that could not be replaced: an undeclared input, or a mixed-text binding with
/// control actions (`if`, `range`, `with`, variables) used inside an expression, where no operand
/// can stand for its text. `offset`/`length` cover the input's name in the template text.
struct InputIssue {
  enum class Kind { Undeclared, NotExpressible };
  Kind kind = Kind::Undeclared;
  std::string name;
  uint32_t offset = 0;
  uint32_t length = 0;
};

struct SubstResult {
  /// The substituted template; null when `t` reads no input. Its offsets still point into the text
  /// `t` was parsed from: inserted operands, pipes and parts carry the offset of the `.inputs.X`
  /// they replace. `source` is the substituted template printed by formatTemplate.
  std::shared_ptr<const Template> tmpl;
  std::vector<InputIssue> issues;
};

/// Replaces every operand reading `.inputs` — from the dot where it is the root (outside the bodies
/// of `range` and `with`) or from `$` — by its binding: a Value by a literal operand (lists and maps
/// by `list`/`dict` calls); a Pipe by the binding's pipeline (its single operand when it has one,
/// else a parenthesised pipe); a Text binding by its parts when the `.inputs.X` is the whole action
/// (`{{ .inputs.host }}`, wrapped in `{{ if true }}` when it declares variables), else by
/// `(print "text" (pipe) …)`, which renders the same text (empty strings keep `print` from adding
/// spaces between actions). Fields after the input name (`.inputs.x.y`) follow the replacement;
/// `.inputs` alone becomes a `dict` of every input. Binding operands reading the dot are rebased to
/// `$` where the dot is not the root.
SubstResult substituteInputs(const Template& t, const InputBindings& bindings);

/// The value of a template that reads no data: no field of the dot or `$`, no note, no clock or
/// random function. A single action keeps its value's type; other templates give their text.
/// nullopt when the template reads data or fails to evaluate.
std::optional<nlohmann::json> constantValue(const Template& t);

/// Template text of an AST: text parts as they are, actions as `{{ … }}` with single spaces, string
/// literals Go-quoted. Parsing the result gives the same AST (comments and trim markers, already
/// applied by the parser, are gone).
std::string formatTemplate(const Template& t);

/// One pipeline as formatTemplate writes it inside `{{ }}`.
std::string formatPipe(const Pipe& p);

}  // namespace ork::tmpl
