#pragma once
// Everything a facilitator decides when creating a session.
#include <optional>
#include <string>
#include <vector>

#include "sessions/consensus.hpp"
#include "sessions/errors.hpp"
#include "sessions/framework.hpp"
#include "sessions/scenario.hpp"

namespace quorum {

/// How results are judged and published; optional when a session is created.
struct SessionSettings {
    VerdictThresholds verdict;
    /// Breakdowns (area, sector) with fewer opinions than this are never shown on their own.
    std::uint32_t min_group_size = 5;
    bool operator==(const SessionSettings&) const = default;
};

struct SessionConfig {
    std::string code;  // join code
    std::string title;
    std::vector<std::string> areas;
    Framework framework;
    std::vector<Scenario> scenarios;
    std::string facilitator_token_hash;  // hex SHA-256 of the facilitator token; never the token
    SessionSettings settings;

    bool operator==(const SessionConfig&) const = default;
};

/// Checks a configuration is usable (non-empty title and areas, unique ids, lengths within
/// limits). Fills in missing scenario ids ("s1", "s2", ...). Returns the first problem found.
std::optional<RuleError> normalise_config(SessionConfig& config);

/// Checks one scenario's fields against the limits.
std::optional<RuleError> check_scenario(const Scenario& scenario);

}  // namespace quorum
