// Small helpers over the module types.
#include "ir/module.h"

namespace ork::ir {

std::string_view docKindName(DocKind k) {
  switch (k) {
    case DocKind::Katalog: return "Katalog";
    case DocKind::Komposer: return "Komposer";
    case DocKind::Motif: return "Motif";
    case DocKind::Simulate: return "Simulate";
    case DocKind::E2E: return "E2E";
  }
  return "Katalog";
}

}  // namespace ork::ir
