#include "sessions/errors.hpp"

namespace quorum {

std::string_view to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::invalid_config: return "invalid_config";
        case ErrorCode::not_facilitator: return "not_facilitator";
        case ErrorCode::not_participant: return "not_participant";
        case ErrorCode::observer_cannot_vote: return "observer_cannot_vote";
        case ErrorCode::unknown_scenario: return "unknown_scenario";
        case ErrorCode::unknown_test: return "unknown_test";
        case ErrorCode::unknown_area: return "unknown_area";
        case ErrorCode::unknown_comment: return "unknown_comment";
        case ErrorCode::not_current_scenario: return "not_current_scenario";
        case ErrorCode::scenario_not_opened: return "scenario_not_opened";
        case ErrorCode::scenario_already_used: return "scenario_already_used";
        case ErrorCode::duplicate_scenario: return "duplicate_scenario";
        case ErrorCode::invalid_phase: return "invalid_phase";
        case ErrorCode::voting_open: return "voting_open";
        case ErrorCode::voting_closed: return "voting_closed";
        case ErrorCode::already_revealed: return "already_revealed";
        case ErrorCode::stale_round: return "stale_round";
        case ErrorCode::no_next_scenario: return "no_next_scenario";
        case ErrorCode::invalid_value: return "invalid_value";
        case ErrorCode::text_too_long: return "text_too_long";
        case ErrorCode::empty_text: return "empty_text";
        case ErrorCode::too_many_comments: return "too_many_comments";
        case ErrorCode::too_many_participants: return "too_many_participants";
        case ErrorCode::own_comment: return "own_comment";
        case ErrorCode::already_endorsed: return "already_endorsed";
        case ErrorCode::session_ended: return "session_ended";
    }
    return "unknown";
}

}  // namespace quorum
