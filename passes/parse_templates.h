// The parse-templates pass (FORMATS.md §7.1, §7.4): every template in CRD entries, motifs and notes
// is parsed once at validate time; errors point at the line and column inside the YAML scalar.
#pragma once
#include <cstdint>

#include "ir/node.h"
#include "passes/pass.h"
#include "support/source_manager.h"

namespace ork::passes {

/// Creates the `parse-templates` pass. It walks every CRD entry body of every loaded document,
/// every Motif document (outside metadata and inputs) and every note expression, and parses each
/// string scalar holding `{{` with support/template.h. Values that FORMATS.md §5.3 says are not
/// templates are skipped (`reconcile`, `forEach`, `once`, `namespaced`, `hasStatus`, `apiTypes`,
/// `crdFile`, `crFiles`, `dependsOn`, a custom entry's `apiVersion`/`kind`, and every condition key
/// but `field`). A `forEach.as` alias is a data root inside its entry; notes of every Katalog and
/// Komposer are zero-argument functions. Parse errors are reported with their codes (ORK3001–3005)
/// at the exact source column (see templateSpan), with the data path and the help line. Each
/// template that parses is stored on its node (ir::Node::parsed); the pass runs before
/// merge-overrides, whose clones carry it into Module::composedCrds.
PassPtr createParseTemplatesPass();

/// Maps `length` bytes at `offset` of a scalar's text (after YAML unescaping) to the source span
/// they were read from: plain and quoted scalars map character by character after the opening
/// quote (escapes `\"`, `\x41`, `''` and line folding accounted for), block scalars (`|`, `>`) line
/// by line past their indentation. Falls back to the scalar's span when the source text cannot be
/// aligned (a node made by a pass).
Span templateSpan(const SourceManager& sm, const ir::Node& scalar, uint32_t offset, uint32_t length);

}  // namespace ork::passes
