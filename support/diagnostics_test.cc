// Tests of the diagnostic engine and its printers.
#include <catch2/catch.hpp>

#include "support/diagnostics.h"
#include "support/source_manager.h"

using namespace ork;

TEST_CASE("diagnostic prints file:line:col, code, snippet and caret") {
  SourceManager sm;
  FileId f = sm.addBuffer("katalog.yaml", "a: 1\n  replcas: 3\n");
  DiagnosticEngine diags;
  diags.report(DiagCode::UnknownKey, Span{f, 7, 14}, "unknown key 'replcas' in x (did you mean 'replicas'?)");
  std::string out = renderDiagnostic(diags.diagnostics()[0], sm, false);
  CHECK(out ==
        "katalog.yaml:2:3: error[ORK1102]: unknown key 'replcas' in x (did you mean 'replicas'?)\n"
        "   2 |   replcas: 3\n"
        "     |   ^~~~~~~\n");
}

TEST_CASE("warnings can be disabled by flag and promoted by --strict") {
  DiagnosticEngine diags;
  diags.setFlagEnabled("unsupported", false);
  diags.report(DiagCode::UnsupportedKey, {}, "x");
  CHECK(diags.diagnostics().empty());
  diags.setFlagEnabled("unsupported", true);
  diags.setWarningsAsErrors(true);
  diags.report(DiagCode::UnsupportedKey, {}, "x");
  CHECK(diags.errorCount() == 1);
}

TEST_CASE("json rendering carries code, position and notes") {
  SourceManager sm;
  FileId f = sm.addBuffer("k.yaml", "abc\n");
  DiagnosticEngine diags;
  diags.report(DiagCode::DuplicateKey, Span{f, 1, 2}, "dup");
  diags.note(Span{f, 0, 1}, "first");
  std::string j = renderDiagnosticJson(diags.diagnostics()[0], sm);
  CHECK(j.find("\"code\":\"ORK1002\"") != std::string::npos);
  CHECK(j.find("\"line\":1,\"column\":2") != std::string::npos);
  CHECK(j.find("\"message\":\"first\"") != std::string::npos);
}
