// Tests of SourceManager: buffer registry, line/column mapping (LF, CRLF, no final newline), spans.
#include <catch2/catch.hpp>

#include "support/source_manager.h"

using namespace ork;

namespace {
std::pair<uint32_t, uint32_t> lc(const SourceManager& sm, FileId f, uint32_t off) {
  LineColumn l = sm.lineColumn(f, off);
  return {l.line, l.column};
}
using P = std::pair<uint32_t, uint32_t>;
}  // namespace

TEST_CASE("buffers get ids from 1 and are found by name") {
  SourceManager sm;
  FileId a = sm.addBuffer("a.yaml", "x: 1\n");
  FileId b = sm.addBuffer("b.yaml", "y: 2\n");
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(sm.bufferCount() == 2);
  CHECK(sm.find("b.yaml") == std::optional<FileId>(b));
  CHECK_FALSE(sm.find("c.yaml"));
  CHECK(sm.name(a) == "a.yaml");
  CHECK(sm.contents(b) == "y: 2\n");
  CHECK(sm.name(0) == "<unknown>");
  CHECK(sm.name(99) == "<unknown>");
  CHECK(sm.contents(99).empty());
}

TEST_CASE("line and column of LF text") {
  SourceManager sm;
  FileId f = sm.addBuffer("k.yaml", "ab\ncde\n\nf");
  CHECK(lc(sm, f, 0) == P{1, 1});
  CHECK(lc(sm, f, 1) == P{1, 2});
  CHECK(lc(sm, f, 2) == P{1, 3});  // the newline itself belongs to line 1
  CHECK(lc(sm, f, 3) == P{2, 1});
  CHECK(lc(sm, f, 5) == P{2, 3});
  CHECK(lc(sm, f, 7) == P{3, 1});  // an empty line
  CHECK(lc(sm, f, 8) == P{4, 1});
  CHECK(lc(sm, f, 9) == P{4, 2});  // end of buffer
  CHECK(sm.lineText(f, 1) == "ab");
  CHECK(sm.lineText(f, 2) == "cde");
  CHECK(sm.lineText(f, 3).empty());
  CHECK(sm.lineText(f, 4) == "f");  // last line without a newline
  CHECK(sm.lineText(f, 5).empty());
  CHECK(sm.lineText(f, 0).empty());
}

TEST_CASE("CRLF line endings: columns count from the line start, line text drops the CR") {
  SourceManager sm;
  FileId f = sm.addBuffer("crlf.yaml", "a: 1\r\nbb: 2\r\nc: 3");
  CHECK(lc(sm, f, 0) == P{1, 1});
  CHECK(lc(sm, f, 6) == P{2, 1});
  CHECK(lc(sm, f, 8) == P{2, 3});
  CHECK(lc(sm, f, 13) == P{3, 1});
  CHECK(sm.lineText(f, 1) == "a: 1");
  CHECK(sm.lineText(f, 2) == "bb: 2");
  CHECK(sm.lineText(f, 3) == "c: 3");
  CHECK(sm.offsetOf(f, 2, 1) == 6);
  CHECK(sm.offsetOf(f, 3, 3) == 15);
}

TEST_CASE("offsetOf inverts lineColumn and clamps") {
  SourceManager sm;
  FileId f = sm.addBuffer("k.yaml", "ab\ncde\nf");
  for (uint32_t off = 0; off <= 8; ++off) {
    LineColumn l = sm.lineColumn(f, off);
    CHECK(sm.offsetOf(f, l.line, l.column) == off);
  }
  CHECK(sm.offsetOf(f, 0, 0) == 0);
  CHECK(sm.offsetOf(f, 99, 1) == 7);   // clamped to the last line
  CHECK(sm.offsetOf(f, 3, 99) == 8);   // clamped to the buffer size
  CHECK(sm.offsetOf(42, 1, 1) == 0);   // unknown file
}

TEST_CASE("empty buffer") {
  SourceManager sm;
  FileId f = sm.addBuffer("empty.yaml", "");
  CHECK(lc(sm, f, 0) == P{1, 1});
  CHECK(sm.lineText(f, 1).empty());
  CHECK(sm.location(Span{f, 0, 0}) == "empty.yaml:1:1");
}

TEST_CASE("span text and location") {
  SourceManager sm;
  FileId f = sm.addBuffer("katalog.yaml", "spec:\n  workers: many\n");
  Span s{f, 17, 21};
  CHECK(sm.text(s) == "many");
  CHECK(sm.location(s) == "katalog.yaml:2:12");
  CHECK(sm.location(Span{}) == "<unknown>");
  CHECK(sm.text(Span{}).empty());
  CHECK(sm.text(Span{f, 100, 104}).empty());
  CHECK(sm.text(Span{f, 20, 40}) == "y\n");  // clipped to the buffer
}

TEST_CASE("columns count bytes") {
  SourceManager sm;
  FileId f = sm.addBuffer("u.yaml", "é: x\n");  // é is two bytes
  CHECK(lc(sm, f, 4) == P{1, 5});
}

TEST_CASE("a lone CR is a line break; CRLF is one break") {
  SourceManager sm;
  FileId f = sm.addBuffer("mac.yaml", "a: 1\rb: 2\r\nc: 3\r");
  CHECK(lc(sm, f, 5) == P{2, 1});
  CHECK(lc(sm, f, 11) == P{3, 1});
  CHECK(sm.lineText(f, 1) == "a: 1");
  CHECK(sm.lineText(f, 2) == "b: 2");
  CHECK(sm.lineText(f, 3) == "c: 3");
}
