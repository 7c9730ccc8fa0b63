#pragma once
// Everything a facilitator decides when creating a session.
#include <optional>
#include <string>
#include <vector>

#include "sessions/errors.hpp"
#include "sessions/framework.hpp"
#include "sessions/scenario.hpp"

namespace quorum {

struct SessionConfig {
    std::string code;  // join code
    std::string title;
    std::vector<std::string> areas;
    Framework framework;
    std::vector<Scenario> scenarios;
    std::string facilitator_token_hash;  // hex SHA-256 of the facilitator token; never the token

    bool operator==(const SessionConfig&) const = default;
};

/// Checks a configuration is usable (non-empty title and areas, unique ids, lengths within
/// limits). Fills in missing scenario ids ("s1", "s2", ...). Returns the first problem found.
std::optional<RuleError> normalise_config(SessionConfig& config);

/// Checks one scenario's fields against the limits.
std::optional<RuleError> check_scenario(const Scenario& scenario);

}  // namespace quorum
