// Internal to the template parser: tokens of an action and the text/action items of a template.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ork::tmpl {

/// Token kinds inside an action.
enum class Tok { Ident, Field, Var, String, Number, LParen, RParen, Bar, Declare, Assign, Comma, End };

/// One token with its offset and length in the template text.
struct Token {
  Tok kind = Tok::End;
  uint32_t offset = 0;
  uint32_t length = 0;
  std::string text;               // Ident: the word; Var: "$" or "$x"
  std::vector<std::string> path;  // Field: segments ("." alone: empty); Var: fields after it
  nlohmann::json value;           // String / Number
  bool adjacent = false;          // no space before it (a field chained on the previous operand)
};

/// A lexical error: where and what.
struct SyntaxError {
  uint32_t offset = 0;
  uint32_t length = 0;
  std::string message;
};

/// Text (already trimmed by `{{-`/`-}}`) or one action's tokens; comments produce nothing.
struct LexItem {
  bool isText = true;
  std::string text;
  uint32_t offset = 0;  // text: its first byte; action: its `{{`
  std::vector<Token> tokens;
  uint32_t closeOffset = 0;  // action: its `}}` (or `-}}`)
};

/// Splits `src` into items; false with `error` on the first lexical error.
bool lexTemplate(std::string_view src, std::vector<LexItem>& items, SyntaxError& error);

}  // namespace ork::tmpl
