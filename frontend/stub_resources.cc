// TEMPORARY stubs so the tree links while shapes_resources.cc is written; delete when it lands.
#include "frontend/shapes.h"

namespace ork::frontend {
ShapeRef resourceBlockShape() { return anyShape(); }
ShapeRef resourceEntryShape(std::string_view) { return anyShape(); }
const std::vector<std::string>& resourceKeys() { static std::vector<std::string> k; return k; }
ShapeRef conditionShape() { return anyShape(); }
ShapeRef conditionListShape() { return anyShape(); }
ShapeRef forEachShape() { return anyShape(); }
}  // namespace ork::frontend
