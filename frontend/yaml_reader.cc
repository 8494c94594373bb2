// libyaml's event parser (yaml_parser_parse) drives a builder of ir::Node trees with spans from the events'
// start and end marks; the only file that includes libyaml. Core-schema resolution, anchors, merge keys and
// limits are ours.
#include "frontend/yaml_reader.h"

#include <yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "frontend/yaml_errors.h"
#include "support/strings.h"

namespace ork::frontend {
namespace {

using ir::Node;
using ir::NodeKind;
using ir::NodePtr;

const std::string kMergeKey("\0<<", 3);

bool isCoreTag(std::string_view tag) {
  static const char* kCore[] = {"tag:yaml.org,2002:str",  "tag:yaml.org,2002:int",  "tag:yaml.org,2002:float",
                                "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:map",
                                "tag:yaml.org,2002:seq"};
  if (tag.empty() || tag == "!") return true;  // untagged, or the non-specific tag of `! text`
  for (const char* c : kCore)
    if (tag == c) return true;
  return false;
}

bool allDigits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 8    ? (c >= '0' && c <= '7')
              : base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                           : std::isdigit(static_cast<unsigned char>(c)) != 0;
    if (!ok) return false;
  }
  return true;
}

// Parses `digits` (no sign) in `base` into an int64 with the sign of `negative`; false when out of range.
bool parseInt(std::string_view digits, int base, bool negative, int64_t& out) {
  uint64_t limit = negative ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX);
  uint64_t v = 0;
  for (char c : digits) {
    uint64_t d = std::isdigit(static_cast<unsigned char>(c)) ? uint64_t(c - '0')
                                                             : uint64_t(std::tolower(c) - 'a' + 10);
    if (v > (limit - d) / uint64_t(base)) return false;
    v = v * uint64_t(base) + d;
  }
  out = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

// Resolves a plain scalar by the YAML 1.2 core schema. Returns false for an integer outside int64 (the node
// stays a string).
bool resolvePlain(Node& n) {
  const std::string& t = n.text;
  if (t.empty() || t == "~" || t == "null" || t == "Null" || t == "NULL") {
    n.kind = NodeKind::Null;
    return true;
  }
  if (t == "true" || t == "True" || t == "TRUE" || t == "false" || t == "False" || t == "FALSE") {
    n.kind = NodeKind::Bool;
    n.boolValue = t[0] == 't' || t[0] == 'T';
    return true;
  }
  std::string_view s = t;
  std::string_view body = (s[0] == '-' || s[0] == '+') ? s.substr(1) : s;
  std::string_view digits;
  int base = 0;
  if (allDigits(body, 10)) {
    digits = body;
    base = 10;
  } else if (startsWith(s, "0o") && allDigits(s.substr(2), 8)) {
    digits = s.substr(2);
    base = 8;
  } else if (startsWith(s, "0x") && allDigits(s.substr(2), 16)) {
    digits = s.substr(2);
    base = 16;
  }
  if (base != 0) {
    int64_t v = 0;
    if (!parseInt(digits, base, base == 10 && s[0] == '-', v)) return false;
    n.kind = NodeKind::Int;
    n.intValue = v;
    return true;
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    n.kind = NodeKind::Float;
    n.floatValue = s[0] == '-' ? -INFINITY : INFINITY;
    return true;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    n.kind = NodeKind::Float;
    n.floatValue = NAN;
    return true;
  }
  // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
  size_t i = 0;
  size_t numDigits = 0;
  while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++numDigits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++numDigits;
  }
  if (numDigits == 0) return true;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    size_t expDigits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) ++i, ++expDigits;
    if (expDigits == 0) return true;
  }
  if (i != body.size()) return true;
  n.kind = NodeKind::Float;
  n.floatValue = std::strtod(t.c_str(), nullptr);
  return true;
}

std::string_view chars(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : "";
}

// Builds one document's tree from its events. Stops at the first limit it hits (fail()), after which the
// reader stops parsing: what the parser would say next is noise.
class Builder {
 public:
  Builder(const SourceManager& sm, FileId file, DiagnosticEngine& diags, MarkMap& marks)
      : text_(sm.contents(file)), file_(file), diags_(diags), marks_(marks) {}

  NodePtr takeRoot() { return std::move(root_); }
  bool failed() const { return failed_; }

  void onScalar(const yaml_event_t& ev) {
    const auto& s = ev.data.scalar;
    uint32_t start = byteAt(ev.start_mark);
    uint32_t end = std::max(start, byteAt(ev.end_mark));
    std::string_view tag = chars(s.tag);
    if (!checkTag(tag, start, end)) return;
    // The event starts at the node's `&anchor` / `!tag` properties; the span starts at the content.
    uint32_t pos = s.anchor || s.tag ? skipProperties(start, end) : start;
    // A block scalar's end mark lies past its trailing line breaks and the next line's indentation.
    if (s.style == YAML_LITERAL_SCALAR_STYLE || s.style == YAML_FOLDED_SCALAR_STYLE)
      while (end > pos + 1 && isSpace(text_[end - 1])) --end;
    auto n = std::make_unique<Node>();
    n->kind = NodeKind::String;
    n->text.assign(reinterpret_cast<const char*>(s.value), s.length);
    n->span = Span{file_, pos, end};
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    if (tag == "!" || tag == "tag:yaml.org,2002:str" || (tag.empty() && !plain)) {
      n->quoted = !plain || tag == "!";  // quoted, block, or `! text`: never resolved
    } else {
      // untagged plain scalars; !!int / !!bool / … resolve as written
      if (!resolvePlain(*n))
        diags_.report(DiagCode::InvalidValue, n->span, "integer out of range: '" + n->text + "'");
    }
    Span where = n->span;
    add(std::move(n), chars(s.anchor), where);
  }

  void onAlias(const yaml_event_t& ev) {
    Span where{file_, byteAt(ev.start_mark), 0};
    where.end = std::max(where.begin + 1, byteAt(ev.end_mark));
    std::string name(chars(ev.data.alias.anchor));
    for (const Frame& f : stack_) {
      if (f.anchor != name) continue;
      fail(DiagCode::UnknownAlias, where,
           "alias '*" + name + "' refers to its own anchor '&" + name +
               "' (recursive alias); an alias must refer to a node that ends before it");
      return;
    }
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      fail(DiagCode::UnknownAlias, where, "alias refers to an anchor that is not defined before it");
      return;
    }
    nodeCount_ += it->second.size;
    if (!checkBudget(where)) return;
    add(it->second.node->clone(), {}, where, /*fromAlias=*/true);
  }

  void onCollectionStart(const yaml_event_t& ev) {
    bool isMap = ev.type == YAML_MAPPING_START_EVENT;
    std::string_view tag = chars(isMap ? ev.data.mapping_start.tag : ev.data.sequence_start.tag);
    std::string_view anchor = chars(isMap ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor);
    bool flow = isMap ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                      : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    uint32_t start = byteAt(ev.start_mark);
    uint32_t end = std::max(start, byteAt(ev.end_mark));
    if (!checkTag(tag, start, end)) return;
    // The start event ends after its `[` / `{` (flow), after the `-` of an indentless sequence (`key:\n- a`),
    // or at the first key or `-` (block), after any properties.
    uint32_t pos = end;
    if (end > start) {
      char last = text_[end - 1];
      if (flow ? last == '[' || last == '{' : !isMap && last == '-') pos = end - 1;
    }
    Span span{file_, pos, pos + 1};
    if (static_cast<int>(stack_.size()) >= kMaxYamlDepth) {
      fail(DiagCode::NestingTooDeep, span,
           "nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
      return;
    }
    ++nodeCount_;
    if (!checkBudget(span)) return;
    stack_.push_back(Frame{
        isMap ? Node::makeMap(span) : Node::makeList(span), std::string(anchor), flow, false, {}, {}, {}});
  }

  void onCollectionEnd(const yaml_event_t& ev) {
    if (failed_ || stack_.empty()) return;
    Frame& f = stack_.back();
    if (f.node->isMap()) applyMergeKeys(*f.node);
    if (failed_) return;
    // A flow collection ends at its closing bracket; a block one with its last entry (its end event marks
    // the next token, past comments and blank lines).
    if (f.flow) f.node->span.end = std::max(f.node->span.end, byteAt(ev.end_mark));
    Frame done = std::move(f);
    stack_.pop_back();
    Span where = done.node->span;
    add(std::move(done.node), done.anchor, where, false, /*counted=*/true);
  }

 private:
  struct Frame {
    NodePtr node;
    std::string anchor;
    bool flow = false;     // `[…]` / `{…}`: the span ends at the closing bracket
    bool haveKey = false;  // maps: a key is waiting for its value
    std::string key;
    Span keySpan;
    std::unordered_map<std::string, size_t> keyIndex;  // maps: key → its index in node->entries
  };
  struct Anchored {
    NodePtr node;
    size_t size = 0;
  };

  uint32_t byteAt(const yaml_mark_t& mark) const { return marks_.byteOffset(mark.index); }

  static bool isSpace(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }
  static bool endsToken(char ch) { return isSpace(ch) || ch == ',' || ch == ']' || ch == '}'; }

  // Skips white space, line breaks and comments.
  uint32_t skipBlank(uint32_t pos, uint32_t limit) const {
    while (pos < limit) {
      if (isSpace(text_[pos]))
        ++pos;
      else if (text_[pos] == '#')
        while (pos < limit && text_[pos] != '\n') ++pos;
      else
        break;
    }
    return pos;
  }

  // The end of an `&anchor` or `!tag` property; a verbatim tag (`!<tag:…>`) may hold flow indicators.
  uint32_t tokenEnd(uint32_t pos, uint32_t limit) const {
    if (pos + 1 < limit && text_[pos] == '!' && text_[pos + 1] == '<') {
      while (pos < limit && text_[pos] != '>') ++pos;
      return std::min(pos + 1, limit);
    }
    while (pos < limit && !endsToken(text_[pos])) ++pos;
    return pos;
  }

  // Past the `&anchor` and `!tag` properties that open [pos, limit).
  uint32_t skipProperties(uint32_t pos, uint32_t limit) const {
    while (pos < limit && (text_[pos] == '&' || text_[pos] == '!'))
      pos = skipBlank(tokenEnd(pos, limit), limit);
    return pos;
  }

  // The `!tag` among the properties that open [pos, limit).
  Span tagSpan(uint32_t pos, uint32_t limit) const {
    for (uint32_t p = pos; p < limit && (text_[p] == '&' || text_[p] == '!');) {
      uint32_t e = tokenEnd(p, limit);
      if (text_[p] == '!') return Span{file_, p, std::max(e, p + 1)};
      p = skipBlank(e, limit);
    }
    return Span{file_, pos, pos + 1};
  }

  bool checkTag(std::string_view tag, uint32_t start, uint32_t end) {
    if (isCoreTag(tag)) return true;
    std::string shown =
        startsWith(tag, "tag:yaml.org,2002:") ? "!!" + std::string(tag.substr(18)) : std::string(tag);
    fail(DiagCode::CustomTag, tagSpan(start, end),
         "custom YAML tag '" + shown + "' is not supported; ork reads the YAML 1.2 core schema only");
    return false;
  }

  bool checkBudget(Span where) {
    if (nodeCount_ <= kMaxYamlNodes) return true;
    fail(DiagCode::DocumentTooLarge, where,
         "document expands to more than " + std::to_string(kMaxYamlNodes) +
             " nodes (alias expansion or size); split it or remove nested aliases");
    return false;
  }

  // Places a finished node: the document root, a list item, a map key or a map value. `where` is its place in
  // the source (for an alias, the `*name` token; the copied node keeps the anchored node's spans).
  void add(NodePtr n, std::string_view anchor, Span where, bool fromAlias = false, bool counted = false) {
    if (failed_) return;
    if (!counted && !fromAlias) {
      ++nodeCount_;
      if (!checkBudget(where)) return;
    }
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchored{n->clone(), n->countNodes()};
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    Node& parent = *top.node;
    if (parent.isList()) {
      extend(parent, where);
      parent.items.push_back(std::move(n));
      return;
    }
    if (!top.haveKey) {
      if (!n->isScalar() || n->isNull()) {
        if (n->isNull() && !where.size()) {
          fail(DiagCode::NonStringKey, where, "mapping key is empty or null; keys must be strings");
        } else {
          fail(DiagCode::NonStringKey, where,
               "mapping key is a " + std::string(ir::nodeKindName(n->kind)) + "; keys must be strings");
        }
        return;
      }
      top.key = n->kind == NodeKind::String ? n->text : n->scalarText();
      // Only a plain `<<` is a merge key; a quoted "<<" is an ordinary key. Merge entries
      // are stored under a key no YAML text can hold (NUL bytes are refused).
      if (top.key == "<<" && !n->quoted) top.key = kMergeKey;
      top.keySpan = where;
      if (top.key != kMergeKey) {
        auto first = top.keyIndex.find(top.key);
        if (first != top.keyIndex.end()) {
          diags_.report(DiagCode::DuplicateKey, top.keySpan, "duplicate key '" + top.key + "'");
          diags_.note(parent.entries[first->second].keySpan, "first defined here");
        }
      }
      extend(parent, where);
      top.haveKey = true;
      return;
    }
    top.haveKey = false;
    // `key:` with nothing after it: the empty scalar sits after the ':'; point at the key instead.
    if (!fromAlias && n->isNull() && n->span.size() == 0) n->span = top.keySpan;
    extend(parent, fromAlias ? where : n->span);
    if (top.key == kMergeKey) {
      parent.entries.push_back({std::move(top.key), top.keySpan, std::move(n)});
    } else if (top.keyIndex.emplace(top.key, parent.entries.size()).second) {
      parent.entries.push_back({std::move(top.key), top.keySpan, std::move(n)});
    }
  }

  static void extend(Node& parent, const Span& child) {
    if (child.file == parent.span.file && child.end > parent.span.end) parent.span.end = child.end;
  }

  // `<<: *base` or `<<: [*a, *b]`: keys of the merged maps that the map does not set.
  void applyMergeKeys(Node& map) {
    if (std::none_of(map.entries.begin(), map.entries.end(),
                     [](const ir::MapEntry& e) { return e.key == kMergeKey; }))
      return;
    std::vector<ir::MapEntry> merged;
    std::vector<ir::MapEntry> own;
    std::unordered_set<std::string> seen;  // keys the map sets, then keys already merged
    for (const ir::MapEntry& e : map.entries)
      if (e.key != kMergeKey) seen.insert(e.key);
    for (ir::MapEntry& e : map.entries) {
      if (e.key != kMergeKey) {
        own.push_back(std::move(e));
        continue;
      }
      std::vector<const Node*> sources;
      if (e.value->isList())
        for (const NodePtr& i : e.value->items) sources.push_back(i.get());
      else
        sources.push_back(e.value.get());
      for (const Node* src : sources) {
        if (!src->isMap()) {
          fail(DiagCode::InvalidMergeKey, src->span,
               "the value of '<<' must be a mapping or a list of mappings");
          return;
        }
        for (const ir::MapEntry& se : src->entries) {
          if (seen.insert(se.key).second) merged.push_back({se.key, se.keySpan, se.value->clone()});
        }
      }
    }
    map.entries = std::move(own);
    for (ir::MapEntry& m : merged) map.entries.push_back(std::move(m));
  }

  void fail(DiagCode code, Span span, std::string message) {
    if (failed_) return;
    failed_ = true;
    diags_.report(code, span, std::move(message));
  }

  std::string_view text_;
  FileId file_;
  DiagnosticEngine& diags_;
  MarkMap& marks_;
  NodePtr root_;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchored> anchors_;
  size_t nodeCount_ = 0;
  bool failed_ = false;
};

// libyaml's parser and one event, released however the loop ends.
struct Parser {
  yaml_parser_t parser{};
  bool ready = false;
  Parser() { ready = yaml_parser_initialize(&parser) != 0; }
  ~Parser() {
    if (ready) yaml_parser_delete(&parser);
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
};
struct Event {
  yaml_event_t event{};
  ~Event() { yaml_event_delete(&event); }
};

YamlParseError parseError(const yaml_parser_t& p, MarkMap& marks) {
  YamlParseError e;
  e.problem = p.problem ? p.problem : "syntax error";
  if (p.context) e.context = p.context;
  switch (p.error) {
    case YAML_READER_ERROR:
      e.stage = YamlParseError::Stage::Reader;
      e.problemPos = static_cast<uint32_t>(p.problem_offset);  // a byte offset, not a mark
      e.problemValue = p.problem_value;
      return e;
    case YAML_MEMORY_ERROR: e.stage = YamlParseError::Stage::Memory; break;
    case YAML_SCANNER_ERROR: e.stage = YamlParseError::Stage::Scanner; break;
    case YAML_NO_ERROR:
    case YAML_PARSER_ERROR:
    case YAML_COMPOSER_ERROR:
    case YAML_WRITER_ERROR:
    case YAML_EMITTER_ERROR: e.stage = YamlParseError::Stage::Parser; break;
  }
  if (p.context) e.contextPos = marks.byteOffset(p.context_mark.index);
  e.problemPos = marks.byteOffset(p.problem_mark.index);
  return e;
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
  std::string_view text = sm.contents(file);
  MarkMap marks(text);
  Parser p;
  if (!p.ready) {
    diags.report(DiagCode::YamlSyntax, Span{file, 0, 1}, "YAML: out of memory while parsing");
    return docs;
  }
  yaml_parser_set_input_string(&p.parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::optional<Builder> builder;
  Span docStart;
  for (bool done = false; !done;) {
    Event ev;
    if (!yaml_parser_parse(&p.parser, &ev.event)) {
      reportYamlError(sm, file, parseError(p.parser, marks), diags);
      break;
    }
    const yaml_event_t& e = ev.event;
    switch (e.type) {
      case YAML_NO_EVENT:
      case YAML_STREAM_START_EVENT: break;
      case YAML_STREAM_END_EVENT: done = true; break;
      case YAML_DOCUMENT_START_EVENT: {
        builder.emplace(sm, file, diags, marks);
        // An explicit document's event runs from its directives through its `---`.
        uint32_t at =
            marks.byteOffset(e.data.document_start.implicit ? e.start_mark.index : e.end_mark.index);
        if (!e.data.document_start.implicit && at >= 3 && text.substr(at - 3, 3) == "---") at -= 3;
        docStart = Span{file, at, at + 1};
        break;
      }
      case YAML_DOCUMENT_END_EVENT: {
        NodePtr root = builder ? builder->takeRoot() : nullptr;
        builder.reset();
        if (!root || root->isNull()) break;  // empty documents are skipped
        int index = static_cast<int>(docs.size());
        docs.push_back(YamlDocument{std::move(root), docStart, index});
        break;
      }
      case YAML_ALIAS_EVENT:
      case YAML_SCALAR_EVENT:
      case YAML_SEQUENCE_START_EVENT:
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_START_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (!builder) break;
        if (e.type == YAML_ALIAS_EVENT)
          builder->onAlias(e);
        else if (e.type == YAML_SCALAR_EVENT)
          builder->onScalar(e);
        else if (e.type == YAML_SEQUENCE_START_EVENT || e.type == YAML_MAPPING_START_EVENT)
          builder->onCollectionStart(e);
        else
          builder->onCollectionEnd(e);
        done = builder->failed();  // the builder reported its limit; what the parser says next is noise
        break;
    }
  }
  return docs;
}

}  // namespace ork::frontend
