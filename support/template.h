// The template language of FORMATS.md §7: parse once (coded errors at offsets), evaluate many times
// over nlohmann::json data with Go text/template semantics. Shared by the compiler and the runtime.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/diagnostics.h"
#include "support/template_ast.h"

namespace ork::tmpl {

/// What a parse may accept beyond §7.1: extra data roots (forEach aliases) and extra
/// zero-argument functions (notes, §2).
struct ParseOptions {
  std::vector<std::string> extraRoots;
  std::vector<std::string> extraFunctions;
};

/// A parse error: its code (ORK30xx), the offset and length in the template text it points at,
/// the message and an optional help line.
struct ParseError {
  DiagCode code = DiagCode::TemplateSyntax;
  uint32_t offset = 0;
  uint32_t length = 0;
  std::string message;
  std::string help;
};

/// The parsed template (null when errors were found) and every error found.
struct ParseResult {
  std::shared_ptr<const Template> tmpl;
  std::vector<ParseError> errors;
  bool ok() const { return errors.empty(); }
};

/// Parses `text` (FORMATS.md §7.1). Never throws; stops at the first syntax error but reports every
/// unknown function, root and variable it can.
ParseResult parse(std::string_view text, const ParseOptions& options = {});

/// Whether a string holds an action at all (`{{`); strings without one are plain text.
inline bool hasActions(std::string_view text) { return text.find("{{") != std::string_view::npos; }

/// The data roots every template may read (§7.1).
const std::vector<std::string>& dataRoots();

/// A render error: the message, the offset of the operand or command that failed, a help line.
struct RenderError {
  std::string message;
  uint32_t offset = 0;
  std::string help;
};

/// A value or a render error; render errors are values, never exceptions.
template <class T>
struct Result {
  std::optional<T> value;
  RenderError error;
  bool ok() const { return value.has_value(); }
  static Result fail(std::string message, uint32_t offset, std::string help = {}) {
    Result r;
    r.error = RenderError{std::move(message), offset, std::move(help)};
    return r;
  }
};

/// The time source of now/timeSince/timeUntil/weekday/inBusinessHours: seconds since the Unix epoch.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t nowUnixSeconds() const = 0;
};

/// The random source of random*: uniform 64-bit values.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual uint64_t next() = 0;
};

/// A fixed clock (simulate, template, tests).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t unixSeconds) : now_(unixSeconds) {}
  int64_t nowUnixSeconds() const override { return now_; }

 private:
  int64_t now_;
};

/// A deterministic random source (splitmix64) seeded per run (simulate, template, plan).
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  uint64_t next() override;

 private:
  uint64_t state_;
};

/// The system clock (ork run).
const Clock& systemClock();

/// What evaluation reads: the data (an object with the roots), the clock, the random source and
/// the notes (called by name; returns the note's value or a render error).
struct EvalContext {
  const nlohmann::json* data = nullptr;
  const Clock* clock = nullptr;    // systemClock() when null
  RandomSource* random = nullptr;  // a SeededRandom(0) when null
  std::function<Result<nlohmann::json>(const std::string& note)> note;
};

/// Renders the template to text (§7.2 output rules).
Result<std::string> render(const Template& t, const EvalContext& ctx);

/// Evaluates the template to a value: the typed value of a single-action template (§7.2 last
/// sentence), otherwise the rendered text as a JSON string.
Result<nlohmann::json> evaluateValue(const Template& t, const EvalContext& ctx);

/// Formats a value as template output: strings as is, integers in decimal, floats in Go's shortest
/// form, booleans, nil as ""; maps and lists are an error with the hint "use toJson or toYaml".
Result<std::string> printValue(const nlohmann::json& v, uint32_t offset);

/// Go text/template truthiness: false, 0, nil and empty strings/lists/maps are false.
bool truthy(const nlohmann::json& v);

}  // namespace ork::tmpl
