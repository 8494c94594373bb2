// Helpers the document builders share to read typed values out of validated ir::Node trees.
// All of them tolerate absent or wrongly typed nodes (the validator has reported those).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ir/module.h"
#include "ir/node.h"

namespace ork::frontend {

/// The scalar text of `n` with its span; empty when `n` is null, absent or not a scalar.
ir::Located located(const ir::Node* n);
/// The scalar text of `n` ("" when absent or not a scalar).
std::string textOf(const ir::Node* n);
/// A boolean value, or `fallback` when `n` is absent or not a boolean.
bool boolOr(const ir::Node* n, bool fallback);
/// Every scalar item of a list as Located (non-scalars skipped).
std::vector<ir::Located> locatedList(const ir::Node* n);
/// Every scalar item of a list as text.
std::vector<std::string> textList(const ir::Node* n);
/// `auth: {type, fromEnv, usernameFromEnv, passwordFromEnv}` (FORMATS.md §10.2); nullopt when absent.
std::optional<ir::ImportAuth> extractAuth(const ir::Node* n);

/// Fills a CRD entry's typed fields (enabled, typed, apiTypes with the default plural, crdFile,
/// crFiles, dependsOn, imports with `with` pointing into the body) from its normalised `body`,
/// as the Katalog/Komposer builders do; name, span and origin are left alone. Reports nothing
/// (the builders report typed operators). Used again on the composed entries of merge-overrides.
void deriveCrdEntryFields(ir::CrdEntry& entry);

}  // namespace ork::frontend
