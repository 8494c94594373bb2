// Conditions decided at motif expansion (FORMATS.md §8.3 step 3): a condition whose field became a
// constant is evaluated now, with the comparison rules of §6.1, for the operators a constant can meet.
#pragma once
#include <optional>

#include <nlohmann/json.hpp>

#include "ir/node.h"

namespace ork::passes {

/// The outcome of deciding one condition.
struct ConditionDecision {
  std::optional<bool> result;  // nullopt: left to the runtime (unique, a templated value, time)
  bool nonNumeric = false;     // a numeric operator met a non-numeric constant (the result is false)
};

/// Decides `cond` (one `when`/`or` item, shorthand `{field, gte: 2}` or explicit `{field, operator,
/// value}`, with `valueType` and `negate`) whose field is the constant `field` (null: missing). A
/// missing field fails `exists` and is "" for text operators and 0 for numeric ones; `equals` compares
/// numbers numerically and booleans as booleans when both sides are, else the text forms; `valueType`
/// forces the comparison type; `in` takes a YAML list or a comma list; `regex` is RE2, unanchored.
ConditionDecision decideConstantCondition(const ir::Node& cond, const nlohmann::json& field);

}  // namespace ork::passes
