// TEMPORARY stubs so the tree links while shapes_resources.cc is written; delete when it lands.
#include "frontend/shapes.h"

namespace ork::frontend {
ShapeRef resourceBlockShape() { return anyShape(); }
ShapeRef resourceEntryShape(std::string_view) { return anyShape(); }
const std::vector<std::string>& resourceKeys() { static std::vector<std::string> k; return k; }
ShapeRef conditionShape() { return anyShape(); }
ShapeRef conditionListShape() { return anyShape(); }
ShapeRef forEachShape() { return anyShape(); }
ShapeRef onDeleteShape() { return anyShape(); }
ShapeRef conditionRecord() { return record(); }
void addConditionKeys(Shape& s) { s.add("when", anyShape()); s.add("or", anyShape()); }
std::string_view canonicalConditionOperator(std::string_view) { return {}; }
}  // namespace ork::frontend
