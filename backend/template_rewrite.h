// Rewrites of parsed templates for lowering: a template whose whole output is post-processed
// (base64 for Secret data, §5.6) or tested (a templated `headless`, a templated profile name).
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "support/template_ast.h"

namespace ork::backend {

/// A template rendering the base64 of what `t` renders (Secret `data`, §5.6). Errors of `t` keep
/// their offsets; the source text stays `t`'s.
std::shared_ptr<const tmpl::Template> base64Of(const tmpl::Template& t);

/// A template rendering `text` when `t` renders `true` (trimmed, any case) and nothing otherwise
/// (a templated `headless` gives `clusterIP: None`).
std::shared_ptr<const tmpl::Template> textWhenTrue(const tmpl::Template& t, const std::string& text);

/// A template rendering the value paired with what `t` renders (trimmed), or nothing when no key
/// matches: the value of a templated profile name in a profile table.
std::shared_ptr<const tmpl::Template> selectByText(
    const tmpl::Template& t, const std::vector<std::pair<std::string, std::string>>& table);

/// Whether `t` calls one of `functions` anywhere (randomHex in a Secret, …); returns the first found.
std::string firstCallOf(const tmpl::Template& t, const std::vector<std::string>& functions);

}  // namespace ork::backend
