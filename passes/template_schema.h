// The openAPIV3Schema side of check-template-types (FORMATS.md §7.4): following a .spec/.status path
// through a CRD schema, the schema's type at its end, and finding the schema of a composed CRD.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "ir/module.h"
#include "passes/pass.h"

namespace ork::passes {

/// The type a schema node gives its values (`x-kubernetes-int-or-string` is IntOrString; a node
/// without `type` but with `properties` is an Object; anything else untyped is Unknown).
enum class SchemaType { Unknown, Object, Array, String, Integer, Number, Boolean, IntOrString };

/// "an object", "a string", … for messages.
std::string schemaTypeName(SchemaType t);
SchemaType schemaTypeOf(const ir::Node& schema);

/// One step of a path: a field name, or a list index (an integer literal of `index`).
struct PathStep {
  std::string name;
  bool index = false;
  Span span;  // where a failure at this step is reported
};

/// Where following a path ended.
struct SchemaLookup {
  enum class Status {
    Found,         // every step declared; `type` is the end's type
    Open,          // below preserve-unknown-fields, additionalProperties: true or an untyped node
    UnknownField,  // step `failedAt` names no property of `parent`; `suggestion` may be set
    NotTraversable  // step `failedAt` reads a field of a scalar/list or indexes a non-list
  };
  Status status = Status::Found;
  SchemaType type = SchemaType::Unknown;
  size_t failedAt = 0;
  const ir::Node* parent = nullptr;  // the schema node the failing step was read from
  SchemaType parentType = SchemaType::Unknown;
  std::vector<std::string> siblings;  // property names of `parent` (UnknownField)
};

/// Follows `steps` from the root of an openAPIV3Schema.
SchemaLookup lookupSchemaPath(const ir::Node& root, const std::vector<PathStep>& steps);

/// `.spec.a[0].b` for the first `count` steps.
std::string displayPath(const std::vector<PathStep>& steps, size_t count);

/// The schema a composed CRD is checked against, or why there is none.
struct CrdSchema {
  const ir::Node* root = nullptr;  // openAPIV3Schema; null when none
  std::string kind, version;       // for messages: "WebApp v1"
  std::string missingReason;       // when root is null: why (for the ORK3105 note)
  bool silent = false;             // no note: the crdFile failed to load (already an error)
};

/// Finds schemas of composed CRDs; owns the `crd.yaml` files it reads for CRDs without a crdFile.
class SchemaFinder {
 public:
  SchemaFinder(const ir::Module& module, PassContext& ctx) : module_(module), ctx_(ctx) {}
  CrdSchema find(const ir::CrdEntry& entry);

 private:
  const ir::Document* definingDocument(const ir::CrdEntry& entry) const;
  const ir::CrdFile* loadedCrdFile(const ir::CrdEntry& entry) const;
  CrdSchema fromPatternCrdYaml(const ir::CrdEntry& entry);

  const ir::Module& module_;
  PassContext& ctx_;
  std::vector<std::pair<std::string, std::vector<ir::NodePtr>>> crdYamls_;  // path → documents
};

}  // namespace ork::passes
