// The YAML reader's mark mapping and syntax-error wording: libyaml says what it did not find ("did not find
// expected key"); these messages say what is wrong in the user's text and how to fix it.
#include "frontend/yaml_errors.h"

#include <algorithm>
#include <cstdio>

#include "support/strings.h"

namespace ork::frontend {
namespace {

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

const char* const kTabMessage =
    "YAML: tab character in indentation (YAML indentation must use spaces, not tabs)";
const char* const kIndentHint = "check the indentation of this line and the one before";

// A tab in the indentation of the line holding `pos`, when there is one.
std::optional<uint32_t> indentationTab(std::string_view text, uint32_t pos) {
  uint32_t start = pos;
  while (start > 0 && text[start - 1] != '\n') --start;
  for (uint32_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
    if (text[i] == '\t') return i;
  return std::nullopt;
}

// True when only blanks precede `pos` on its line.
bool firstOnLine(std::string_view text, uint32_t pos) {
  for (uint32_t i = pos; i > 0 && text[i - 1] != '\n'; --i)
    if (text[i - 1] != ' ' && text[i - 1] != '\t') return false;
  return true;
}

// The first character of the token before `pos` on its line ('\0' when there is none).
char previousToken(std::string_view text, uint32_t pos) {
  uint32_t i = pos;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  if (i == 0 || text[i - 1] == '\n') return '\0';
  while (i > 0 && text[i - 1] != ' ' && text[i - 1] != '\t' && text[i - 1] != '\n') --i;
  return text[i];
}

// True when the last line before `pos` that is not blank or a comment is a document end marker (`...`).
bool afterDocumentEnd(std::string_view text, uint32_t pos) {
  uint32_t end = pos;
  while (end > 0 && text[end - 1] != '\n') --end;  // the start of pos's line
  while (end > 0) {
    uint32_t start = end - 1;
    while (start > 0 && text[start - 1] != '\n') --start;
    std::string_view line = trim(text.substr(start, end - 1 - start));
    if (!line.empty() && line[0] != '#') return startsWith(line, "...");
    end = start;
  }
  return false;
}

// True when only white space and comments follow `pos`.
bool atEndOfInput(std::string_view text, uint32_t pos) {
  for (uint32_t i = pos; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      return false;
    }
  }
  return true;
}

std::string codePoint(int value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(value));
  return buf;
}

struct Explained {
  DiagCode code = DiagCode::YamlSyntax;
  uint32_t pos = 0;
  std::string message;
  std::optional<uint32_t> notePos;  // an opening bracket left unclosed
  std::string note;
};

// "did not find expected ',' or ']'": the innermost open flow collection is not closed where the parser
// stopped.
Explained unclosedFlow(std::string_view text, const YamlParseError& e, uint32_t pos, char close) {
  char open = close == ']' ? '[' : '{';
  std::string what = close == ']' ? "sequence" : "map";
  std::string pair = std::string("a '") + open + "' is not closed by '" + close + "'";
  Explained x;
  x.pos = pos;
  x.message = atEndOfInput(text, pos)
                  ? "YAML: end of " + what + " flow not found (" + pair + ")"
                  : std::string("YAML: expected ',' or '") + close + "' here (" + pair + ")";
  if (e.contextPos && *e.contextPos < text.size() && text[*e.contextPos] == open) {
    x.notePos = e.contextPos;
    x.note = std::string("the unclosed '") + open + "' is here";
  }
  return x;
}

Explained explain(std::string_view text, const YamlParseError& e) {
  uint32_t pos = std::min<uint32_t>(e.problemPos, static_cast<uint32_t>(text.size()));
  char c = pos < text.size() ? text[pos] : '\0';
  const std::string& p = e.problem;
  const std::string& ctx = e.context;
  Explained x;
  x.pos = pos;
  switch (e.stage) {
    case YamlParseError::Stage::Memory: x.message = "YAML: out of memory while parsing"; return x;
    case YamlParseError::Stage::Reader:
      x.message = p == "control characters are not allowed" && e.problemValue >= 0
                      ? "YAML: control character " + codePoint(e.problemValue) +
                            " is not allowed in YAML text (remove it, or write it as an escape in a "
                            "double-quoted string)"
                      : "YAML: " + p;
      return x;
    case YamlParseError::Stage::Scanner:
    case YamlParseError::Stage::Parser: break;
  }
  // A quote left open: the parser runs to the end of the file (or the next `---`); the opening quote is the
  // news.
  if (startsWith(ctx, "while scanning a quoted scalar") &&
      (p == "found unexpected end of stream" || p == "found unexpected document indicator") && e.contextPos &&
      *e.contextPos < text.size()) {
    x.pos = *e.contextPos;
    x.message = std::string("YAML: end of string not found (a ") + text[x.pos] + " quote is not closed)";
    return x;
  }
  if (auto tab = indentationTab(text, pos)) {
    x.pos = *tab;
    x.message = kTabMessage;
    return x;
  }
  if (c == '\t') {
    x.message = "YAML: tab character where YAML allows only spaces (replace it with spaces)";
    return x;
  }
  if (p == "did not find expected ',' or ']'") return unclosedFlow(text, e, pos, ']');
  if (p == "did not find expected ',' or '}'") return unclosedFlow(text, e, pos, '}');
  bool noContent = p == "did not find expected node content";
  bool noKey = p == "did not find expected key";
  if ((noContent || noKey) && c == ':') {
    x.code = DiagCode::NonStringKey;
    x.message = "mapping key is empty or null; keys must be strings";
    return x;
  }
  if (c == ',') {
    x.message = "YAML: unexpected ',' (a comma separates items only inside [ ] or { })";
    return x;
  }
  if ((c == ']' || c == '}') && (noContent || p == "did not find expected <document start>")) {
    x.message = std::string("YAML: unexpected '") + c + "' (no '" + (c == ']' ? '[' : '{') + "' is open)";
    return x;
  }
  if (startsWith(ctx, "while parsing a quoted scalar")) {
    x.message =
        p == "found unknown escape character"
            ? "YAML: unknown escape sequence in a double-quoted string (write \\\\ for a backslash, or use "
              "single quotes)"
            : "YAML: invalid escape sequence in a double-quoted string (\\x, \\u and \\U take 2, 4 and 8 hex "
              "digits)";
    return x;
  }
  if (p == "mapping values are not allowed in this context") {
    x.message =
        "YAML: unexpected ':' (quote a value that contains ': ', or " + std::string(kIndentHint) + ")";
    return x;
  }
  if (p == "block sequence entries are not allowed in this context") {
    x.message = "YAML: a list cannot start on the line of its key (start it on the next line, indented)";
    return x;
  }
  if (noKey || p == "did not find expected '-' indicator") {
    if ((c == '&' || c == '!') && previousToken(text, pos) == c) {
      x.message = c == '&' ? "YAML: a node can have only one anchor (remove one of the '&' names)"
                           : "YAML: a node can have only one tag (remove one of the '!' tags)";
    } else if (!firstOnLine(text, pos)) {
      x.message = "YAML: unexpected text after a value (quote the whole value, or start a new line)";
    } else if (noKey && c == '-') {
      x.message = "YAML: a list item where a mapping key was expected (" + std::string(kIndentHint) + ")";
    } else if (noKey) {
      x.message = "YAML: bad indentation of a mapping key (" + std::string(kIndentHint) + ")";
    } else {
      x.message = "YAML: bad indentation of a list item (" + std::string(kIndentHint) +
                  "; a list and a mapping cannot share one level)";
    }
    return x;
  }
  if (p == "could not find expected ':'" && e.contextPos) {
    x.pos = std::min<uint32_t>(*e.contextPos, static_cast<uint32_t>(text.size()));
    x.message = "YAML: missing ':' after a mapping key (a key and its ':' must be on one line)";
    return x;
  }
  if (noContent) {
    x.message = "YAML: expected a value here";
    return x;
  }
  if (p == "did not find expected <document start>") {
    x.message =
        afterDocumentEnd(text, pos)
            ? "YAML: unexpected text after the end of a document (start a new document with '---')"
            : "YAML: unexpected text after the document's top-level node (check the indentation of this "
              "line; a new document starts with '---')";
    return x;
  }
  if (p == "found character that cannot start any token") {
    x.message = std::string("YAML: a value cannot start with '") + c + "' (quote the value)";
    return x;
  }
  if (startsWith(ctx, "while scanning an anchor") || startsWith(ctx, "while scanning an alias")) {
    if (e.contextPos) x.pos = std::min<uint32_t>(*e.contextPos, static_cast<uint32_t>(text.size()));
    char mark = ctx == "while scanning an anchor" ? '&' : '*';
    x.message = std::string("YAML: '") + mark +
                "' must be followed by a name (quote a value that starts with '" + mark + "')";
    return x;
  }
  if (startsWith(ctx, "while scanning a tag") || p == "found undefined tag handle") {
    if (e.contextPos) x.pos = std::min<uint32_t>(*e.contextPos, static_cast<uint32_t>(text.size()));
    x.message = "YAML: malformed or undefined tag (quote a value that starts with '!')";
    return x;
  }
  if (p == "found incompatible YAML document") {
    x.message = "YAML: unsupported %YAML version (ork reads YAML 1.2)";
    return x;
  }
  if (startsWith(ctx, "while scanning a directive")) {
    x.message =
        "YAML: unknown or malformed directive (a '%' at the start of a line begins one; quote the value)";
    return x;
  }
  if (startsWith(ctx, "while scanning a block scalar")) {
    x.message =
        "YAML: malformed block scalar header (after '|' or '>' only '+' or '-', an indentation digit 1-9 "
        "and a comment may follow)";
    return x;
  }
  x.message = "YAML: " + p + (ctx.empty() ? "" : " (" + ctx + ")");
  return x;
}

}  // namespace

MarkMap::MarkMap(std::string_view text) : text_(text) {
  if (startsWith(text, "\xEF\xBB\xBF")) bom_ = 3;
  ascii_ = std::none_of(text.begin() + bom_, text.end(), [](char c) { return (c & 0x80) != 0; });
  cursorByte_ = bom_;
}

uint32_t MarkMap::byteOffset(size_t index) {
  const auto size = static_cast<uint32_t>(text_.size());
  if (ascii_) return static_cast<uint32_t>(std::min<size_t>(index + bom_, size));
  while (cursorIndex_ < index && cursorByte_ < size) {
    ++cursorByte_;
    while (cursorByte_ < size && isContinuation(text_[cursorByte_])) ++cursorByte_;
    ++cursorIndex_;
  }
  while (cursorIndex_ > index) {
    --cursorByte_;
    while (cursorByte_ > bom_ && isContinuation(text_[cursorByte_])) --cursorByte_;
    --cursorIndex_;
  }
  return cursorByte_;
}

void reportYamlError(const SourceManager& sm, FileId file, const YamlParseError& error,
                     DiagnosticEngine& diags) {
  Explained x = explain(sm.contents(file), error);
  diags.report(x.code, Span{file, x.pos, x.pos + 1}, std::move(x.message));
  if (x.notePos) diags.note(Span{file, *x.notePos, *x.notePos + 1}, std::move(x.note));
}

}  // namespace ork::frontend
