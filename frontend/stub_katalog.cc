// TEMPORARY stubs so the tree links while build_katalog.cc is written; delete when it lands.
#include "frontend/loader.h"

namespace ork::frontend {
bool buildKatalog(LoadContext&, ir::Document&) { return true; }
bool buildKomposer(LoadContext&, ir::Document&) { return true; }
void extractMetadata(const ir::Node&, ir::Document&, DiagnosticEngine&) {}
}  // namespace ork::frontend
