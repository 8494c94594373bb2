// libFuzzer target: arbitrary bytes through the YAML reader, every document builder and the diagnostic
// printers, with a fresh SourceManager and DiagnosticEngine per input. Built with -DORK_FUZZ=ON (clang).
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
