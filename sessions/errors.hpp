#pragma once
// Typed rule violations. A violated rule is an ordinary outcome, never an exception, and leaves
// the session untouched.
#include <string>
#include <string_view>

namespace quorum {

enum class ErrorCode {
    invalid_config,
    not_facilitator,
    not_participant,
    observer_cannot_vote,
    unknown_scenario,
    unknown_test,
    unknown_area,
    unknown_comment,
    not_current_scenario,
    scenario_not_opened,
    scenario_already_used,
    duplicate_scenario,
    invalid_phase,
    voting_open,
    voting_closed,
    already_revealed,
    stale_round,
    no_next_scenario,
    invalid_value,
    text_too_long,
    empty_text,
    too_many_comments,
    too_many_participants,
    own_comment,
    already_endorsed,
    session_ended,
};

std::string_view to_string(ErrorCode);

struct RuleError {
    ErrorCode code;
    std::string message;  // readable by a facilitator or participant
};

}  // namespace quorum
