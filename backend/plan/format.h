// The frozen plan's format identity. The plan writer and reader arrive with the plan issue (#5).
#pragma once

namespace ork::plan {

/// The plan format this build writes and the runtime accepts (FORMATS.md §14.2).
inline constexpr const char* kPlanFormatVersion = "ork.plan/v1";

}  // namespace ork::plan
