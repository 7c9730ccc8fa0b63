#pragma once
// Everything that happens in a session is an event. The ordered event log is the source of truth
// and the transcript: replaying it rebuilds exactly the same state.
#include <string>
#include <variant>
#include <vector>

#include "sessions/scenario.hpp"
#include "sessions/session_config.hpp"
#include "sessions/types.hpp"

namespace quorum {
namespace ev {

struct SessionCreated {
    SessionConfig config;
    bool operator==(const SessionCreated&) const = default;
};
struct ParticipantJoined {
    ParticipantId participant = 0;
    std::string name;
    std::string area;
    Sector sector = Sector::unspecified;
    Role role = Role::participant;
    std::string token_hash;
    bool operator==(const ParticipantJoined&) const = default;
};
struct ScenarioOpened {
    std::string scenario;
    int round = 1;
    bool operator==(const ScenarioOpened&) const = default;
};
struct VotingOpened {
    std::string scenario;
    int round = 1;
    std::vector<std::string> tests;
    bool operator==(const VotingOpened&) const = default;
};
struct VotingClosed {
    std::string scenario;
    int round = 1;
    std::vector<std::string> tests;
    bool operator==(const VotingClosed&) const = default;
};
struct ResultsRevealed {
    std::string scenario;
    int round = 1;
    bool operator==(const ResultsRevealed&) const = default;
};
struct RoundStarted {
    std::string scenario;
    int round = 2;
    bool operator==(const RoundStarted&) const = default;
};
struct SessionEnded {
    bool operator==(const SessionEnded&) const = default;
};
struct VisibilityChanged {
    bool live_results = false;
    bool show_comments = true;
    bool operator==(const VisibilityChanged&) const = default;
};
struct VoteCast {
    ParticipantId participant = 0;
    std::string scenario;
    int round = 1;
    std::string test;
    int value = cant_say;
    std::string client_id;
    bool operator==(const VoteCast&) const = default;
};
struct CommentAdded {
    CommentId comment = 0;
    ParticipantId participant = 0;
    std::string scenario;
    int round = 1;
    std::string test;
    CommentKind kind = CommentKind::question;
    std::string text;
    std::string client_id;
    bool operator==(const CommentAdded&) const = default;
};
struct CommentEndorsed {
    CommentId comment = 0;
    ParticipantId participant = 0;
    bool operator==(const CommentEndorsed&) const = default;
};
struct CommentHidden {
    CommentId comment = 0;
    bool hidden = true;
    bool operator==(const CommentHidden&) const = default;
};
struct CommentPinned {
    CommentId comment = 0;
    bool pinned = true;
    bool operator==(const CommentPinned&) const = default;
};
struct ScenarioAdded {
    Scenario scenario;
    bool operator==(const ScenarioAdded&) const = default;
};
struct ScenarioUpdated {
    Scenario scenario;
    bool operator==(const ScenarioUpdated&) const = default;
};
struct ScenariosReordered {
    std::vector<std::string> order;
    bool operator==(const ScenariosReordered&) const = default;
};

}  // namespace ev

using EventPayload =
    std::variant<ev::SessionCreated, ev::ParticipantJoined, ev::ScenarioOpened, ev::VotingOpened,
                 ev::VotingClosed, ev::ResultsRevealed, ev::RoundStarted, ev::SessionEnded,
                 ev::VisibilityChanged, ev::VoteCast, ev::CommentAdded, ev::CommentEndorsed,
                 ev::CommentHidden, ev::CommentPinned, ev::ScenarioAdded, ev::ScenarioUpdated,
                 ev::ScenariosReordered>;

struct Event {
    Seq seq = 0;
    TimeMs at = 0;
    EventPayload payload;
    bool operator==(const Event&) const = default;
};

/// Stable name of an event type, as stored and sent: e.g. "vote_cast".
std::string_view event_type(const EventPayload& payload);

}  // namespace quorum
