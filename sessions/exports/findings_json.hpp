#pragma once
// findings.json: every finding, in the versioned schema documented in docs/FINDINGS.md.
#include <nlohmann/json_fwd.hpp>
#include <optional>

#include "sessions/aggregate.hpp"

namespace quorum::exports {

/// The schema this build writes. A reader should refuse a major version it does not know.
inline constexpr const char* findings_schema = "quorum.findings/1";

/// The findings as JSON; `generated_at` is written when given.
nlohmann::json findings_to_json(const Findings& findings, std::optional<TimeMs> generated_at);

}  // namespace quorum::exports
