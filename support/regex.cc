// Regex over RE2 (see regex.h).
#include "support/regex.h"

#include <re2/re2.h>

namespace ork {

struct Regex::Impl {
  explicit Impl(std::string_view p) : re(re2::StringPiece(p.data(), p.size()), opts()) {}
  static RE2::Options opts() {
    RE2::Options o;
    o.set_log_errors(false);
    return o;
  }
  RE2 re;
};

std::optional<Regex> Regex::compile(std::string_view pattern, std::string* error) {
  auto impl = std::make_shared<const Impl>(pattern);
  if (!impl->re.ok()) {
    if (error) *error = impl->re.error();
    return std::nullopt;
  }
  Regex r;
  r.impl_ = std::move(impl);
  r.pattern_ = std::string(pattern);
  return r;
}

bool Regex::search(std::string_view text) const {
  return impl_ && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), impl_->re);
}

bool Regex::fullMatch(std::string_view text) const {
  return impl_ && RE2::FullMatch(re2::StringPiece(text.data(), text.size()), impl_->re);
}

}  // namespace ork
