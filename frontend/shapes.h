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
