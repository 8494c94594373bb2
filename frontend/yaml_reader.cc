// yaml-cpp's event parser drives a builder of ir::Node; the only file that includes yaml-cpp's parser.
#include "frontend/yaml_reader.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>

#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::Node;
using ir::NodeKind;
using ir::NodePtr;

const std::string kMergeKey("\0<<", 3);

bool isCoreTag(const std::string& tag) {
  static const char* kCore[] = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
                                "tag:yaml.org,2002:seq"};
  if (tag.empty() || tag == "?" || tag == "!") return true;
  for (const char* c : kCore)
    if (tag == c) return true;
  return false;
}

bool allDigits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 8 ? (c >= '0' && c <= '7')
                        : base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                                     : std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (!ok) return false;
  }
  return true;
}

// Resolves a plain scalar by the YAML 1.2 core schema.
void resolvePlain(Node& n) {
  const std::string& t = n.text;
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
    n.kind = NodeKind::Null;
    return;
  }
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
    n.kind = NodeKind::Bool;
    n.boolValue = t[0] == 't' || t[0] == 'T';
    return;
  }
  std::string_view s = t;
  std::string_view body = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  try {
    if (allDigits(body, 10)) {
      n.kind = NodeKind::Int;
      n.intValue = std::stoll(t);
      return;
    }
    if (startsWith(s, "0o") && allDigits(s.substr(2), 8)) {
      n.kind = NodeKind::Int;
      n.intValue = std::stoll(std::string(s.substr(2)), nullptr, 8);
      return;
    }
    if (startsWith(s, "0x") && allDigits(s.substr(2), 16)) {
      n.kind = NodeKind::Int;
      n.intValue = std::stoll(std::string(s.substr(2)), nullptr, 16);
      return;
    }
  } catch (const std::exception&) {
    // Out of int64 range: read it as a float below.
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    n.kind = NodeKind::Float;
    n.floatValue = s[0] == '-' ? -INFINITY : INFINITY;
    return;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    n.kind = NodeKind::Float;
    n.floatValue = NAN;
    return;
  }
  // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  size_t i = 0;
  size_t digits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++digits;
  }
  if (digits == 0) return;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    size_t expDigits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++expDigits;
    if (expDigits == 0) return;
  }
  if (i != body.size()) return;
  n.kind = NodeKind::Float;
  n.floatValue = std::strtod(t.c_str(), nullptr);
}

class Builder final : public YAML::EventHandler {
 public:
  Builder(const SourceManager& sm, FileId file, DiagnosticEngine& diags) : sm_(sm), file_(file), diags_(diags) {}

  NodePtr takeRoot() { return std::move(root_); }
  bool failed() const { return failed_; }
  Span docStart() const { return docStart_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    root_.reset();
    stack_.clear();
    docStart_ = spanAt(mark, 1);
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    std::string_view c = sm_.contents(file_);
    uint32_t pos = std::min<uint32_t>(skipProperties(markPos(mark)), static_cast<uint32_t>(c.size()));
    uint32_t len = 0;
    if (c.substr(pos, 1) == "~") len = 1;
    else if (c.substr(pos, 4) == "null" || c.substr(pos, 4) == "Null" || c.substr(pos, 4) == "NULL") len = 4;
    add(Node::makeNull(Span{file_, pos, pos + len}), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (failed_) return;
    auto it = anchors_.find(anchor);
    if (it == anchors_.end() || !it->second) {
      fail(DiagCode::UnknownAlias, spanAt(mark, 1), "alias refers to an anchor that is not defined before it");
      return;
    }
    nodeCount_ += anchorSizes_[anchor];
    if (!checkBudget(mark)) return;
    NodePtr copy = it->second->clone();
    aliasSpans_[copy.get()] = tokenSpan(markPos(mark));
    add(std::move(copy), 0, /*fromAlias=*/true);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (failed_) return;
    if (!checkTag(tag, mark)) return;
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::String;
    n->text = value;
    n->quoted = tag == "!";
    uint32_t pos = skipProperties(markPos(mark));
    std::string_view c = sm_.contents(file_);
    char first = pos < c.size() ? c[pos] : '\0';
    uint32_t len;
    if (first == '"' || first == '\'') {
      std::optional<uint32_t> q = quotedLength(pos);
      if (!q) {  // yaml-cpp accepts a quote left open until the end of the file
        fail(DiagCode::YamlSyntax, Span{file_, pos, pos + 1},
             std::string("YAML: end of string not found (a ") + first + " quote is not closed)");
        return;
      }
      len = *q;
    } else if (n->quoted && (first == '|' || first == '>')) {
      len = blockScalarLength(pos);
    } else {
      len = plainLength(pos, value);
    }
    n->span = Span{file_, pos, pos + (len ? len : 1)};
    if (tag == "?") {
      resolvePlain(*n);
    } else if (tag != "!" && tag != "tag:yaml.org,2002:str") {
      resolvePlain(*n);  // !!int / !!bool / … on a scalar: resolve as written
    }
    add(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(Node::makeList(spanAt(mark, 1)), tag, anchor, mark, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(Node::makeMap(spanAt(mark, 1)), tag, anchor, mark, style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override {
    if (failed_ || stack_.empty()) return;
    Frame& f = stack_.back();
    if (f.node->isMap()) applyMergeKeys(*f.node);
    close();
  }

 private:
  struct Frame {
    NodePtr node;
    YAML::anchor_t anchor = 0;
    bool haveKey = false;  // maps: a key is waiting for its value
    std::string key;
    Span keySpan;
    bool flow = false;     // `[…]` / `{…}`: the span ends at the closing bracket
  };

  static uint32_t markPos(const YAML::Mark& mark) { return mark.pos >= 0 ? static_cast<uint32_t>(mark.pos) : 0; }

  // A node's span starts at its content, after any `&anchor` and `!tag` properties.
  Span spanAt(const YAML::Mark& mark, uint32_t len) const {
    uint32_t pos = skipProperties(markPos(mark));
    return Span{file_, pos, pos + len};
  }

  static bool isSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

  uint32_t skipProperties(uint32_t pos) const {
    std::string_view c = sm_.contents(file_);
    while (pos < c.size() && (c[pos] == '&' || c[pos] == '!')) {
      uint32_t end = pos;
      while (end < c.size() && !isSpace(c[end]) && c[end] != ',' && c[end] != ']' && c[end] != '}') ++end;
      uint32_t next = skipBlank(end);
      if (next >= c.size()) return pos;
      pos = next;
    }
    return pos;
  }

  // Skips white space, line breaks and comments.
  uint32_t skipBlank(uint32_t pos) const {
    std::string_view c = sm_.contents(file_);
    while (pos < c.size()) {
      if (isSpace(c[pos])) ++pos;
      else if (c[pos] == '#') while (pos < c.size() && c[pos] != '\n') ++pos;
      else break;
    }
    return pos;
  }

  // `*name`, up to white space or a flow indicator.
  Span tokenSpan(uint32_t pos) const {
    std::string_view c = sm_.contents(file_);
    uint32_t end = pos;
    while (end < c.size() && !isSpace(c[end]) && c[end] != ',' && c[end] != ']' && c[end] != '}') ++end;
    return Span{file_, pos, std::max(end, pos + 1)};
  }

  // Source length of a plain scalar: its value, where each folded line break stands
  // for a run of white space (with the next line's indentation) in the source.
  uint32_t plainLength(uint32_t pos, std::string_view value) const {
    std::string_view c = sm_.contents(file_);
    uint32_t i = pos;
    size_t j = 0;
    while (j < value.size() && i < c.size()) {
      if (c[i] == value[j]) {
        ++i, ++j;
      } else if ((value[j] == ' ' || value[j] == '\n') && isSpace(c[i])) {
        while (i < c.size() && isSpace(c[i])) ++i;
        while (j < value.size() && (value[j] == ' ' || value[j] == '\n')) ++j;
      } else {
        break;
      }
    }
    return i - pos;
  }

  // Source length of a block scalar (`|`, `>`): the header and every following line
  // that is empty or indented at least as much as its first content line.
  uint32_t blockScalarLength(uint32_t pos) const {
    std::string_view c = sm_.contents(file_);
    uint32_t lineEnd = pos;
    while (lineEnd < c.size() && c[lineEnd] != '\n') ++lineEnd;
    uint32_t headerEnd = pos;
    while (headerEnd < lineEnd && !isSpace(c[headerEnd]) && c[headerEnd] != '#') ++headerEnd;
    uint32_t end = headerEnd;
    uint32_t indent = 0;
    for (uint32_t line = lineEnd + 1; line < c.size();) {
      uint32_t next = line;
      while (next < c.size() && c[next] != '\n') ++next;
      uint32_t k = line;
      while (k < next && c[k] == ' ') ++k;
      bool blank = true;
      for (uint32_t m = k; m < next; ++m) blank = blank && (c[m] == '\r' || c[m] == '\t' || c[m] == ' ');
      if (!blank) {
        if (indent == 0) indent = k - line;
        if (k - line < indent || indent == 0) break;
        end = next > line && c[next - 1] == '\r' ? next - 1 : next;
      }
      line = next + 1;
    }
    return end - pos;
  }

  // Length in the source of a quoted scalar starting at `pos`, up to its closing quote;
  // nullopt when the quote is never closed.
  std::optional<uint32_t> quotedLength(uint32_t pos) const {
    std::string_view c = sm_.contents(file_);
    char q = c[pos];
    for (uint32_t i = pos + 1; i < c.size(); ++i) {
      if (q == '"' && c[i] == '\\') {
        ++i;
        continue;
      }
      if (c[i] == q) {
        if (q == '\'' && i + 1 < c.size() && c[i + 1] == '\'') {
          ++i;
          continue;
        }
        return i - pos + 1;
      }
    }
    return std::nullopt;
  }

  bool checkTag(const std::string& tag, const YAML::Mark& mark) {
    if (isCoreTag(tag)) return true;
    std::string shown = startsWith(tag, "tag:yaml.org,2002:") ? "!!" + tag.substr(18) : tag;
    uint32_t pos = markPos(mark);
    fail(DiagCode::CustomTag, tokenSpan(pos),
         "custom YAML tag '" + shown + "' is not supported; ork reads the YAML 1.2 core schema only");
    return false;
  }

  bool checkBudget(const YAML::Mark& mark) {
    if (nodeCount_ <= kMaxYamlNodes) return true;
    fail(DiagCode::DocumentTooLarge, spanAt(mark, 1),
         "document expands to more than " + std::to_string(kMaxYamlNodes) +
             " nodes (alias expansion or size); split it or remove nested aliases");
    return false;
  }

  void open(NodePtr n, const std::string& tag, YAML::anchor_t anchor, const YAML::Mark& mark, bool flow) {
    if (failed_) return;
    if (!checkTag(tag, mark)) return;
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth) {
      fail(DiagCode::NestingTooDeep, spanAt(mark, 1),
           "nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
      return;
    }
    ++nodeCount_;
    if (!checkBudget(mark)) return;
    stack_.push_back(Frame{std::move(n), anchor, false, {}, {}, flow});
  }

  void close() {
    if (failed_ || stack_.empty()) return;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.flow) extendToClosingBracket(*f.node);
    add(std::move(f.node), f.anchor, false, /*counted=*/true);
  }

  void add(NodePtr n, YAML::anchor_t anchor, bool fromAlias = false, bool counted = false) {
    if (failed_) return;
    if (!counted && !fromAlias) ++nodeCount_;
    if (anchor) {
      anchors_[anchor] = n->clone();
      anchorSizes_[anchor] = n->countNodes();
    }
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    Node& parent = *top.node;
    if (parent.isList()) {
      extend(parent, fromAlias ? aliasSpans_[n.get()] : n->span);
      parent.items.push_back(std::move(n));
      return;
    }
    if (!top.haveKey) {
      if (!n->isScalar() || n->isNull()) {
        Span s = n->span;
        if (n->isNull() && !n->span.size()) {
          fail(DiagCode::NonStringKey, s, "mapping key is empty or null; keys must be strings");
        } else {
          fail(DiagCode::NonStringKey, s, "mapping key is a " + std::string(ir::nodeKindName(n->kind)) +
                                              "; keys must be strings");
        }
        return;
      }
      top.key = n->kind == NodeKind::String ? n->text : n->scalarText();
      // Only a plain `<<` is a merge key; a quoted "<<" is an ordinary key. Merge entries
      // are stored under a key no YAML text can hold (NUL bytes are refused).
      if (top.key == "<<" && !n->quoted) top.key = kMergeKey;
      top.keySpan = n->span;
      auto alias = aliasSpans_.find(n.get());
      if (alias != aliasSpans_.end()) top.keySpan = alias->second;
      if (top.key != kMergeKey && parent.entry(top.key)) {
        const ir::MapEntry* first = parent.entry(top.key);
        diags_.report(DiagCode::DuplicateKey, top.keySpan, "duplicate key '" + top.key + "'");
        diags_.note(first->keySpan, "first defined here");
        hadErrors_ = true;
      }
      top.haveKey = true;
      return;
    }
    top.haveKey = false;
    // `key:` with nothing after it: yaml-cpp marks the next token; point at the key instead.
    if (n->isNull() && n->span.size() == 0 && !fromAlias) n->span = top.keySpan;
    extend(parent, fromAlias ? aliasSpans_[n.get()] : n->span);
    if (top.key == kMergeKey || !parent.entry(top.key))
      parent.entries.push_back({std::move(top.key), top.keySpan, std::move(n)});
  }

  // After the last item of a flow collection only blanks and commas precede its bracket.
  void extendToClosingBracket(Node& n) const {
    std::string_view c = sm_.contents(file_);
    char close = n.isList() ? ']' : '}';
    uint32_t i = n.span.end;
    while (i < c.size()) {
      i = skipBlank(i);
      if (i < c.size() && c[i] == ',') ++i;
      else break;
    }
    if (i < c.size() && c[i] == close) n.span.end = i + 1;
  }

  static void extend(Node& parent, const Span& child) {
    if (child.file == parent.span.file && child.end > parent.span.end) parent.span.end = child.end;
  }

  // `<<: *base` or `<<: [*a, *b]`: keys of the merged maps that the map does not set.
  void applyMergeKeys(Node& map) {
    std::vector<ir::MapEntry> merged;
    std::vector<ir::MapEntry> own;
    for (ir::MapEntry& e : map.entries) {
      if (e.key != kMergeKey) {
        own.push_back(std::move(e));
        continue;
      }
      std::vector<const Node*> sources;
      if (e.value->isMap()) sources.push_back(e.value.get());
      else if (e.value->isList())
        for (const NodePtr& i : e.value->items) sources.push_back(i.get());
      else sources.push_back(e.value.get());
      for (const Node* src : sources) {
        if (!src->isMap()) {
          fail(DiagCode::InvalidMergeKey, src->span, "the value of '<<' must be a mapping or a list of mappings");
          return;
        }
        for (const ir::MapEntry& se : src->entries) {
          bool known = std::any_of(merged.begin(), merged.end(), [&](const ir::MapEntry& m) { return m.key == se.key; });
          if (!known) merged.push_back({se.key, se.keySpan, se.value->clone()});
        }
      }
    }
    map.entries = std::move(own);
    for (ir::MapEntry& m : merged)
      if (!map.entry(m.key)) map.entries.push_back(std::move(m));
  }

  void fail(DiagCode code, Span span, std::string message) {
    if (failed_) return;
    failed_ = true;
    diags_.report(code, span, std::move(message));
  }

 public:
  bool hadErrors_ = false;

 private:
  const SourceManager& sm_;
  FileId file_;
  DiagnosticEngine& diags_;
  NodePtr root_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, NodePtr> anchors_;
  std::map<YAML::anchor_t, size_t> anchorSizes_;
  std::map<const Node*, Span> aliasSpans_;
  size_t nodeCount_ = 0;
  bool failed_ = false;
  Span docStart_;
};

// yaml-cpp messages are terse ("end of map not found"); say what to do.
std::string explainYamlError(const std::string& msg) {
  if (msg.find("tab") != std::string::npos) return msg + " (YAML indentation must use spaces, not tabs)";
  if (msg == "end of map not found" || msg == "end of sequence not found")
    return msg + " (check the indentation of this line and the one before)";
  if (msg.find("end of map flow not found") != std::string::npos)
    return msg + " (a '{' is not closed by '}')";
  if (msg.find("end of sequence flow not found") != std::string::npos)
    return msg + " (a '[' is not closed by ']')";
  if (msg.find("end of string not found") != std::string::npos) return msg + " (a quote is not closed)";
  if (msg.find("illegal map value") != std::string::npos)
    return msg + " (a ':' where a value cannot start; quote the scalar or fix the indentation)";
  return msg;
}

// A tab in the indentation of the line yaml-cpp complains about, when there is one.
std::optional<uint32_t> indentationTab(std::string_view text, uint32_t pos) {
  uint32_t start = pos;
  while (start > 0 && text[start - 1] != '\n') --start;
  for (uint32_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i)
    if (text[i] == '\t') return i;
  return std::nullopt;
}

void reportYamlException(const SourceManager& sm, FileId file, const YAML::Exception& e, DiagnosticEngine& diags) {
  std::string_view text = sm.contents(file);
  uint32_t pos = 0;
  if (e.mark.pos >= 0) pos = static_cast<uint32_t>(e.mark.pos);
  else if (e.mark.line >= 0) pos = sm.offsetOf(file, static_cast<uint32_t>(e.mark.line) + 1,
                                                static_cast<uint32_t>(e.mark.column) + 1);
  pos = std::min<uint32_t>(pos, static_cast<uint32_t>(text.size()));
  if (dynamic_cast<const YAML::DeepRecursion*>(&e)) {
    diags.report(DiagCode::NestingTooDeep, Span{file, pos, pos + 1},
                 "nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    return;
  }
  if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
    diags.report(DiagCode::UnknownAlias, Span{file, pos, pos + 1},
                 "alias refers to an anchor that is not defined before it");
    return;
  }
  if (e.msg.find("tab") == std::string::npos) {
    if (auto tab = indentationTab(text, pos)) {
      diags.report(DiagCode::YamlSyntax, Span{file, *tab, *tab + 1},
                   "YAML: tab character in indentation (YAML indentation must use spaces, not tabs)");
      return;
    }
  }
  diags.report(DiagCode::YamlSyntax, Span{file, pos, pos + 1}, "YAML: " + explainYamlError(e.msg));
}

// The parser stopped advancing at `pos` (see readYaml).
void reportNoProgress(const SourceManager& sm, FileId file, uint32_t pos, DiagnosticEngine& diags) {
  std::string_view text = sm.contents(file);
  pos = std::min<uint32_t>(pos, static_cast<uint32_t>(text.size()));
  if (pos < text.size() && text[pos] == ',') {
    diags.report(DiagCode::YamlSyntax, Span{file, pos, pos + 1},
                 "YAML: unexpected ',' (a comma separates items only inside [ ] or { })");
    return;
  }
  diags.report(DiagCode::YamlSyntax, Span{file, pos, pos + 1}, "YAML: unexpected character");
}

}  // namespace

bool checkTextInput(const SourceManager& sm, FileId file, DiagnosticEngine& diags) {
  std::string_view c = sm.contents(file);
  for (size_t i = 0; i < c.size();) {
    unsigned char b = static_cast<unsigned char>(c[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    bool ok = len != 0 && b != 0 && i + len <= c.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(c[i + k]) >> 6) == 0x2;
    if (!ok) {
      Span s{file, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)};
      diags.report(DiagCode::BinaryFile, s,
                   b == 0 ? "file holds a NUL byte; ork reads YAML text files only"
                          : "file is not valid UTF-8 text; ork reads YAML text files only");
      return false;
    }
    i += len;
  }
  return true;
}

std::vector<YamlDocument> readYaml(const SourceManager& sm, FileId file, DiagnosticEngine& diags) {
  std::vector<YamlDocument> docs;
  if (!checkTextInput(sm, file, diags)) return docs;
  std::string text(sm.contents(file));
  std::istringstream in(text);
  bool builderFailed = false;
  int64_t lastEmptyStart = -1;  // where the last empty document began
  try {
    YAML::Parser parser(in);
    while (true) {
      Builder builder(sm, file, diags);
      bool more = false;
      try {
        more = parser.HandleNextDocument(builder);
      } catch (const YAML::Exception&) {
        builderFailed = builder.failed();
        throw;
      }
      if (!more) break;
      if (builder.failed()) return docs;
      NodePtr root = builder.takeRoot();
      if (!root || root->isNull()) {  // empty documents are skipped
        // yaml-cpp 0.7 answers a stray ',' outside a flow collection with an empty document that consumes
        // nothing, forever (found by the fuzzer): a second empty document at the same place is that loop.
        uint32_t at = builder.docStart().begin;
        if (lastEmptyStart == static_cast<int64_t>(at)) {
          reportNoProgress(sm, file, at, diags);
          return docs;
        }
        lastEmptyStart = at;
        continue;
      }
      lastEmptyStart = -1;
      int index = static_cast<int>(docs.size());
      docs.push_back(YamlDocument{std::move(root), builder.docStart(), index});
    }
  } catch (const YAML::Exception& e) {
    // The builder stops at its own limits (depth, size, tags) and has reported them;
    // what yaml-cpp says after that is noise.
    if (builderFailed) return docs;
    reportYamlException(sm, file, e, diags);
  }
  return docs;
}

}  // namespace ork::frontend
