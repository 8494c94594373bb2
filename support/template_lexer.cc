// Scanner of the Go text/template subset of FORMATS.md §7.1: splits a template into text and
// actions (comments dropped, trim markers applied) and each action into tokens.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "support/template_lexer.h"

namespace ork::tmpl {
namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Scans the tokens of one action, from `pos` to its closing `}}` (or ` -}}`).
class ActionScanner {
 public:
  ActionScanner(std::string_view src, size_t pos) : src_(src), pos_(pos) {}

  // Returns false with `error` set on a lexical error.
  bool scan(std::vector<Token>& out, size_t& closeEnd, bool& trimRight, SyntaxError& error) {
    bool spaced = true;
    while (true) {
      size_t start = pos_;
      while (pos_ < src_.size() && isSpace(src_[pos_])) ++pos_;
      if (pos_ > start) spaced = true;
      if (pos_ >= src_.size()) {
        error = {static_cast<uint32_t>(actionStart()), 2, "unclosed action: missing '}}'"};
        return false;
      }
      if (src_.compare(pos_, 2, "}}") == 0) {
        closeEnd = pos_ + 2;
        trimRight = false;
        return true;
      }
      if (spaced && src_.compare(pos_, 3, "-}}") == 0 && pos_ > 0 && isSpace(src_[pos_ - 1])) {
        closeEnd = pos_ + 3;
        trimRight = true;
        return true;
      }
      Token t;
      t.offset = static_cast<uint32_t>(pos_);
      t.adjacent = !spaced;
      if (!next(t, error)) return false;
      t.length = static_cast<uint32_t>(pos_ - t.offset);
      out.push_back(std::move(t));
      spaced = false;
    }
  }

  void setActionStart(size_t s) { actionStart_ = s; }

 private:
  size_t actionStart() const { return actionStart_; }

  bool fail(SyntaxError& e, size_t at, std::string msg) {
    e = {static_cast<uint32_t>(at), 1, std::move(msg)};
    return false;
  }

  void scanFields(std::vector<std::string>& path) {
    while (pos_ + 1 < src_.size() && src_[pos_] == '.' && isIdentStart(src_[pos_ + 1])) {
      size_t s = ++pos_;
      while (pos_ < src_.size() && isIdentChar(src_[pos_])) ++pos_;
      path.emplace_back(src_.substr(s, pos_ - s));
    }
  }

  bool next(Token& t, SyntaxError& e) {
    char c = src_[pos_];
    if (c == '.' && !(pos_ + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
      t.kind = Tok::Field;
      if (pos_ + 1 < src_.size() && isIdentStart(src_[pos_ + 1])) {
        scanFields(t.path);
      } else {
        ++pos_;  // `.` alone
      }
      return true;
    }
    if (c == '$') {
      size_t s = pos_++;
      while (pos_ < src_.size() && isIdentChar(src_[pos_])) ++pos_;
      t.kind = Tok::Var;
      t.text = std::string(src_.substr(s, pos_ - s));
      scanFields(t.path);
      return true;
    }
    if (c == '"') return scanQuoted(t, e);
    if (c == '`') {
      size_t end = src_.find('`', pos_ + 1);
      if (end == std::string_view::npos) return fail(e, pos_, "unterminated raw string");
      t.kind = Tok::String;
      t.value = std::string(src_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return true;
    }
    if (c == '\'') return scanChar(t, e);
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        ((c == '-' || c == '+' || c == '.') && pos_ + 1 < src_.size() &&
         (std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])) || src_[pos_ + 1] == '.')))
      return scanNumber(t, e);
    if (isIdentStart(c)) {
      size_t s = pos_;
      while (pos_ < src_.size() && isIdentChar(src_[pos_])) ++pos_;
      t.kind = Tok::Ident;
      t.text = std::string(src_.substr(s, pos_ - s));
      return true;
    }
    ++pos_;
    switch (c) {
      case '(': t.kind = Tok::LParen; return true;
      case ')': t.kind = Tok::RParen; return true;
      case '|': t.kind = Tok::Bar; return true;
      case ',': t.kind = Tok::Comma; return true;
      case '=': t.kind = Tok::Assign; return true;
      case ':':
        if (pos_ < src_.size() && src_[pos_] == '=') {
          ++pos_;
          t.kind = Tok::Declare;
          return true;
        }
        break;
      default: break;
    }
    return fail(e, pos_ - 1, std::string("unexpected character '") + c + "' in action");
  }

  // One escape after a backslash (Go's rules); appends to `out`.
  bool scanEscape(std::string& out, char quote, SyntaxError& e) {
    size_t at = pos_ - 1;
    if (pos_ >= src_.size()) return fail(e, at, "unterminated string");
    char c = src_[pos_++];
    auto hex = [&](int n) -> std::optional<uint32_t> {
      if (pos_ + n > src_.size()) return std::nullopt;
      uint32_t v = 0;
      for (int i = 0; i < n; ++i) {
        char h = src_[pos_ + i];
        if (!std::isxdigit(static_cast<unsigned char>(h))) return std::nullopt;
        v = v * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(h))
                                               ? h - '0'
                                               : (std::tolower(h) - 'a' + 10));
      }
      pos_ += n;
      return v;
    };
    switch (c) {
      case 'a': out += '\a'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'v': out += '\v'; return true;
      case '\\': out += '\\'; return true;
      case 'x': {
        auto v = hex(2);
        if (!v) return fail(e, at, "invalid escape sequence in string");
        out += static_cast<char>(*v);
        return true;
      }
      case 'u':
      case 'U': {
        auto v = hex(c == 'u' ? 4 : 8);
        if (!v || *v > 0x10FFFF) return fail(e, at, "invalid escape sequence in string");
        appendUtf8(out, *v);
        return true;
      }
      default: break;
    }
    if (c == quote) {
      out += c;
      return true;
    }
    if (c >= '0' && c <= '7' && pos_ + 1 < src_.size()) {
      uint32_t v = static_cast<uint32_t>(c - '0');
      for (int i = 0; i < 2; ++i) {
        char d = src_[pos_];
        if (d < '0' || d > '7') return fail(e, at, "invalid escape sequence in string");
        v = v * 8 + static_cast<uint32_t>(d - '0');
        ++pos_;
      }
      if (v > 255) return fail(e, at, "invalid escape sequence in string");
      out += static_cast<char>(v);
      return true;
    }
    return fail(e, at, "invalid escape sequence in string");
  }

  bool scanQuoted(Token& t, SyntaxError& e) {
    size_t start = pos_++;
    std::string out;
    while (true) {
      if (pos_ >= src_.size() || src_[pos_] == '\n') return fail(e, start, "unterminated quoted string");
      char c = src_[pos_++];
      if (c == '"') break;
      if (c == '\\') {
        if (!scanEscape(out, '"', e)) return false;
      } else {
        out += c;
      }
    }
    t.kind = Tok::String;
    t.value = out;
    return true;
  }

  bool scanChar(Token& t, SyntaxError& e) {
    size_t start = pos_++;
    std::string out;
    if (pos_ < src_.size() && src_[pos_] == '\\') {
      ++pos_;
      if (!scanEscape(out, '\'', e)) return false;
    } else if (pos_ < src_.size()) {
      out += src_[pos_++];
    }
    if (pos_ >= src_.size() || src_[pos_] != '\'' || out.empty())
      return fail(e, start, "unterminated character constant");
    ++pos_;
    t.kind = Tok::Number;
    t.value = static_cast<int64_t>(static_cast<unsigned char>(out[0]));
    return true;
  }

  bool scanNumber(Token& t, SyntaxError& e) {
    size_t start = pos_;
    if (src_[pos_] == '+' || src_[pos_] == '-') ++pos_;
    while (pos_ < src_.size() &&
           (isIdentChar(src_[pos_]) || src_[pos_] == '.' ||
            ((src_[pos_] == '+' || src_[pos_] == '-') && (src_[pos_ - 1] == 'e' || src_[pos_ - 1] == 'E'))))
      ++pos_;
    std::string text(src_.substr(start, pos_ - start));
    std::string clean;
    for (char c : text)
      if (c != '_') clean += c;
    t.kind = Tok::Number;
    const char* b = clean.c_str();
    char* end = nullptr;
    bool isHex = clean.find("0x") != std::string::npos || clean.find("0X") != std::string::npos;
    if (isHex || clean.find_first_of(".eE") == std::string::npos) {
      errno = 0;
      long long v = std::strtoll(b, &end, 0);
      if (end && *end == '\0' && errno == 0) {
        t.value = static_cast<int64_t>(v);
        return true;
      }
    } else {
      double d = std::strtod(b, &end);
      if (end && *end == '\0') {
        t.value = d;
        return true;
      }
    }
    return fail(e, start, "bad number syntax: " + text);
  }

  std::string_view src_;
  size_t pos_;
  size_t actionStart_ = 0;
};

}  // namespace

bool lexTemplate(std::string_view src, std::vector<LexItem>& items, SyntaxError& error) {
  size_t pos = 0;
  bool trimNext = false;  // the previous action ended with -}}
  auto addText = [&](size_t from, size_t to, bool trimLeftOfAction) {
    size_t b = from, e = to;
    if (trimNext)
      while (b < e && isSpace(src[b])) ++b;
    if (trimLeftOfAction)
      while (e > b && isSpace(src[e - 1])) --e;
    if (e <= b) return;
    if (!items.empty() && items.back().isText) {
      items.back().text += src.substr(b, e - b);  // text around a comment is one part
    } else {
      items.push_back({true, std::string(src.substr(b, e - b)), static_cast<uint32_t>(b), {}});
    }
  };
  while (true) {
    size_t open = src.find("{{", pos);
    if (open == std::string_view::npos) {
      addText(pos, src.size(), false);
      return true;
    }
    size_t p = open + 2;
    bool trimLeft = src.size() > p + 1 && src[p] == '-' && isSpace(src[p + 1]);
    addText(pos, open, trimLeft);
    if (trimLeft) p += 2;
    size_t q = p;
    while (q < src.size() && isSpace(src[q])) ++q;
    if (src.compare(q, 2, "/*") == 0 && (q == p || trimLeft)) {
      size_t close = src.find("*/", q + 2);
      if (close == std::string_view::npos) {
        error = {static_cast<uint32_t>(open), 2, "unclosed comment"};
        return false;
      }
      size_t r = close + 2;
      bool trimRight = false;
      if (src.compare(r, 4, " -}}") == 0) {
        trimRight = true;
        r += 4;
      } else if (src.compare(r, 2, "}}") == 0) {
        r += 2;
      } else {
        error = {static_cast<uint32_t>(close), 2, "comment ends before closing delimiter"};
        return false;
      }
      trimNext = trimRight;
      pos = r;
      continue;
    }
    ActionScanner scanner(src, p);
    scanner.setActionStart(open);
    LexItem item{false, {}, static_cast<uint32_t>(open), {}};
    size_t closeEnd = 0;
    bool trimRight = false;
    if (!scanner.scan(item.tokens, closeEnd, trimRight, error)) return false;
    item.closeOffset = static_cast<uint32_t>(closeEnd - (trimRight ? 3 : 2));
    items.push_back(std::move(item));
    trimNext = trimRight;
    pos = closeEnd;
  }
}

}  // namespace ork::tmpl
