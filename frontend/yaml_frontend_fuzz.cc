// libFuzzer target: arbitrary bytes through the YAML reader, every document builder, the template parser and
// evaluator (for each string scalar holding `{{`) and the diagnostic printers, with a fresh SourceManager and
// DiagnosticEngine per input. Built with -DORK_FUZZ=ON (clang).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "frontend/loader.h"
#include "frontend/yaml_reader.h"
#include "support/diagnostics.h"
#include "support/filesystem.h"
#include "support/source_manager.h"
#include "support/template.h"

namespace {

// The fuzzer must not touch the machine's files: every read (an `include`, a crdFile) fails as absent.
class NoFileSystem final : public ork::FileSystem {
 public:
  ork::ReadResult readFile(const std::string&, uint64_t) const override {
    return {std::nullopt, "no such file (fuzzing)", false};
  }
  bool exists(const std::string&) const override { return false; }
  bool isDirectory(const std::string&) const override { return false; }
  std::optional<uint64_t> fileSize(const std::string&) const override { return std::nullopt; }
  std::string writeFileAtomic(const std::string&, const std::string&) const override {
    return "writes are disabled while fuzzing";
  }
};

// Data every fuzzed template renders against: each §7.1 root, lists and maps to range over.
const nlohmann::json& templateData() {
  static const nlohmann::json data = nlohmann::json::parse(R"({
    "metadata": {"name": "web", "namespace": "shop", "labels": {"team": "a"}, "uid": "7d1c", "generation": 2},
    "spec": {"image": "nginx:1.25", "replicas": 3, "host": "", "debug": true, "ratio": 0.5,
             "shards": [{"name": "a", "range": "0-7"}, {"name": "b", "range": "8-f"}], "env": {"A": "1"}},
    "status": {"phase": "Ready"}, "children": {"deployment": null}, "inputs": {"port": 8080},
    "item": {"name": "x"}, "value": 1})");
  return data;
}

// Parses (and, when it parses, renders) every string scalar that holds an action.
void fuzzTemplates(const ork::ir::Node& node) {
  if (node.isString() && node.text.size() <= 4096 && ork::tmpl::hasActions(node.text)) {
    ork::tmpl::ParseResult parsed = ork::tmpl::parse(node.text);
    if (parsed.ok()) {
      ork::tmpl::FixedClock clock(1735689600);  // 2025-01-01T00:00:00Z
      ork::tmpl::SeededRandom random(1);
      ork::tmpl::EvalContext ctx;
      ctx.data = &templateData();
      ctx.clock = &clock;
      ctx.random = &random;
      (void)ork::tmpl::render(*parsed.tmpl, ctx);
    }
  }
  for (const ork::ir::NodePtr& item : node.items) fuzzTemplates(*item);
  for (const ork::ir::MapEntry& entry : node.entries) fuzzTemplates(*entry.value);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const NoFileSystem fs;
  ork::SourceManager sm;
  ork::DiagnosticEngine diags;
  const std::string path = "fuzz/katalog.yaml";
  ork::FileId file = sm.addBuffer(path, std::string(reinterpret_cast<const char*>(data), size));
  if (ork::frontend::checkTextInput(sm, file, diags)) {
    std::vector<ork::frontend::YamlDocument> docs = ork::frontend::readYaml(sm, file, diags);
    ork::frontend::LoadContext ctx{sm, diags, fs};
    for (ork::frontend::YamlDocument& d : docs) {
      fuzzTemplates(*d.root);
      auto doc = ork::frontend::buildDocument(ctx, std::move(d.root), path, file, d.index);
      (void)doc;
    }
  }
  // Printing computes line/column and source lines from every span: a span outside its buffer shows up here.
  std::string text = ork::renderAll(diags, sm, ork::RenderOptions{});
  std::string json = ork::renderAll(diags, sm, ork::RenderOptions{false, true});
  (void)text;
  (void)json;
  return 0;
}
