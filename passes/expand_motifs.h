// The expand-motifs pass (FORMATS.md §8.3): each composed CRD's motif imports are bound, substituted
// into the motif's templates, decided where their conditions became constant and merged into the CRD.
#pragma once
#include <map>
#include <string>

#include "ir/module.h"
#include "passes/pass.h"

namespace ork::passes {

/// Creates the `expand-motifs` pass. For every enabled CRD of Module::composedCrds and each of its
/// motif imports in order (MotifImport::resolved; bindings as check-motif-bindings checked them,
/// unbound optional inputs taking their default, else nil):
/// - clones the motif's `resources`, `status` and `admission` and replaces `.inputs.X` in every parsed
///   template (tmpl::substituteInputs) and in `inputs.X` condition fields; a template that becomes a
///   constant becomes a plain scalar of its type; an undeclared input is MotifUndeclaredInput
///   (ORK1606) at the input's name, a control-action binding used in an expression
///   MotifBindingNotExpression (ORK1609);
/// - decides conditions whose field became constant: false drops the entry (an `or` list drops it
///   when every item is false), true removes the condition; a numeric operator on a non-numeric
///   constant is MotifConditionOperand (ORK1610);
/// - merges: `resources.onCreate` into `operatorBox.reconcile.onCreate`, `onReconcile` and the flat
///   keys into `onReconcile`, `onDelete` into `onDelete` (as a last group `motif:<name>` when the
///   CRD's onDelete is ordered); an entry with the key, name and namespace of one of the CRD's own is
///   dropped with the note MotifEntryShadowed (ORK1607), one already contributed by another motif is
///   MotifEntryConflict (ORK1608); status fields are appended unless the CRD has their `path`
///   (ORK1607 too), `status.conditions` taken when the CRD leaves it unset; validation and mutation
///   rules appended after the CRD's;
/// - consumes the imports: the `imports` key leaves the body and CrdEntry::imports is cleared.
/// Contributed nodes keep their spans in the motif's file: motifOrigin names them.
PassPtr createExpandMotifsPass();

/// The motif a node of an expanded body came from, as `web-service:v1.1.0` (name, and version when
/// the motif has one): the Motif document of the module whose file holds the node's span; "" for
/// nodes of Katalogs and Komposers.
std::string motifOrigin(const ir::Module& module, const ir::Node& node);

/// The parts of `crd.body` a motif contributed, each with motifOrigin's label: every node from a
/// motif's file whose parent is not from that file (so a contributed subtree is named once, at its
/// top). `ork template --katalog` marks them `# from motif web-service:v1.1.0`.
std::map<const ir::Node*, std::string> motifContributions(const ir::Module& module, const ir::CrdEntry& crd);

}  // namespace ork::passes
