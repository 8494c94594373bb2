// The shapes (closed key sets, FORMATS.md) of every document kind, built once and shared.
#pragma once
#include "frontend/schema.h"

namespace ork::frontend {

// ── shapes_resources.cc: FORMATS.md §5 and §6 ───────────────────────────────
/// A resource block (`onCreate`, `onReconcile`, an `onDelete` group, motif `resources`):
/// every key of §5.1 with its entry fields, and the inert keys of §1.1.
ShapeRef resourceBlockShape();
/// The entry shape of one §5.1 resource key (`deployments`, `custom`, …); null when unknown.
ShapeRef resourceEntryShape(std::string_view key);
/// The §5.1 resource keys in apply order.
const std::vector<std::string>& resourceKeys();
/// One condition of §6.1 (field/time/dayOfWeek/cron, one operator).
ShapeRef conditionShape();
/// A `when:`/`or:` list.
ShapeRef conditionListShape();
/// `forEach: {field, as}` (§6.2).
ShapeRef forEachShape();
/// `onDelete` (§4.5): a resource block (only jobs/pods keep required fields) plus `ordered`, `timeout`, `groups`.
ShapeRef onDeleteShape();
/// A fresh condition record each call (copy-and-extend base for admission rules); its `check` holds the §6.1 rules.
ShapeRef conditionRecord();
/// Adds `when`, `or` and the `anyOf` rejection to `s`, wrapping (not replacing) any `s.check` already set.
void addConditionKeys(Shape& s);
/// The canonical name of a §6.1 operator or alias (`greaterThan` → `gt`); empty when unknown.
std::string_view canonicalConditionOperator(std::string_view name);

// ── shapes_katalog.cc: FORMATS.md §2–§4, §9, §10.1 ──────────────────────────
ShapeRef katalogShape();
ShapeRef komposerShape();
/// A normalised CRD entry (after normalizeCrdEntry).
ShapeRef crdEntryShape();
/// A normalised operatorBox: runtime, reconcile, emit, observe, preReconcile.
ShapeRef operatorBoxShape();
ShapeRef admissionShape();
/// `emit.status` (also a Motif's `status`): {conditions, fields [{path, value, type, clearOnFalse, when, or}], include}.
ShapeRef statusShape();
ShapeRef metadataShape();
ShapeRef lifecycleShape();
ShapeRef policyShape();

// ── shapes_documents.cc: FORMATS.md §8, §12 ─────────────────────────────────
ShapeRef motifShape();
ShapeRef simulateShape();
ShapeRef e2eShape();

}  // namespace ork::frontend
