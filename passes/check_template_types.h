// The check-template-types pass (FORMATS.md §7.4): every .spec/.status path of a composed CRD
// checked against the openAPIV3Schema of its CRD, and one-action templates typed against the field they feed.
#pragma once
#include "passes/pass.h"

namespace ork::passes {

/// Creates the `check-template-types` pass. For every enabled CRD of Module::composedCrds it finds
/// the openAPIV3Schema of the version `apiTypes.version` names: from the entry's loaded crdFile,
/// else from the `crd.yaml` beside the document that defines the CRD (the CRD document whose group
/// and kind match apiTypes). It then checks every `.spec.*`/`.status.*` path:
/// - in templates (fields read from `.` outside range/with bodies and from `$`, and `index X "k" 0`
///   with literal keys), condition and admission-rule `field`s, `forEach.field`, and status field
///   `path`s (relative to .status); `admission.conversion` is skipped (it reads other versions);
/// - a field the schema does not declare is SchemaUnknownField (ORK3101) at the operand, with a
///   did-you-mean among the sibling properties; below `x-kubernetes-preserve-unknown-fields: true`,
///   `additionalProperties` or an untyped node every path passes; reading a field of a scalar or
///   list, or indexing a non-list, is SchemaNotTraversable (ORK3102);
/// - a template that is exactly one action reading a schema path (optionally `| default LIT`)
///   and feeding an integer, number, boolean, quantity, int-or-string or text field (typed by the
///   entry's frontend Shape, or a status field's `type`) is SchemaTypeMismatch (ORK3103) when the
///   schema type cannot convert (an object into replicas) and SchemaStringIntoTyped (ORK3104,
///   warning) for a string (or number) path into an integer, number or boolean field.
/// A capitalised root (`.Spec.Replcas`, reported by parse-templates as ORK3003 with the hint
/// `.spec.replcas`) gets its hint completed by the schema did-you-mean (`.spec.replicas`) in place.
/// A CRD with paths to check but no schema gets one SchemaUnavailable note (ORK3105) at its name.
PassPtr createCheckTemplateTypesPass();

}  // namespace ork::passes
