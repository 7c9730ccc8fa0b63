#pragma once
// What people ask a session to do. Commands are validated by Session::apply; the protocol layer
// has already checked their shape.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sessions/scenario.hpp"
#include "sessions/types.hpp"

namespace quorum {

/// Who is asking. Authentication happened at the edge; the session checks authorisation.
struct Actor {
    /// A presenter is a read-only screen (the projector): it may watch, never act.
    enum class Kind { anonymous, participant, facilitator, presenter };
    Kind kind = Kind::anonymous;
    ParticipantId participant = 0;

    static Actor anonymous() { return {}; }
    static Actor facilitator() { return {Kind::facilitator, 0}; }
    static Actor presenter() { return {Kind::presenter, 0}; }
    static Actor of_participant(ParticipantId id) { return {Kind::participant, id}; }
};

namespace cmd {

struct Join {
    std::string name;  // may be empty: anonymous participation is allowed
    std::string area;
    Sector sector = Sector::unspecified;
    Role role = Role::participant;
    std::string token_hash;  // hash of the resume token the edge generated
};
struct OpenScenario {
    std::string scenario;
};
struct NextScenario {};
struct OpenVoting {
    std::optional<std::string> test;  // empty: every test
};
struct CloseVoting {
    std::optional<std::string> test;  // empty: every open test
};
struct Reveal {};
struct NewRound {};
struct EndSession {};
struct SetVisibility {
    std::optional<bool> live_results;   // participants see results while voting
    std::optional<bool> show_comments;  // participants see each other's comments
};
struct CastVote {
    std::string scenario;
    std::string test;
    int value = cant_say;
    std::optional<int> round;  // when given, must be the current round
    std::string client_id;     // optional; a resend with the same id is applied once
};
struct AddComment {
    std::string scenario;
    std::string test;  // empty: on the scenario as a whole
    CommentKind kind = CommentKind::question;
    std::string text;
    std::string client_id;
};
struct Endorse {
    CommentId comment = 0;
};
struct ModerateComment {
    CommentId comment = 0;
    std::optional<bool> hidden;
    std::optional<bool> pinned;
};
struct AddScenario {
    Scenario scenario;  // id may be empty: one is assigned
};
struct UpdateScenario {
    Scenario scenario;
};
struct ReorderScenarios {
    std::vector<std::string> order;  // every scenario id, once each
};

}  // namespace cmd

using Command =
    std::variant<cmd::Join, cmd::OpenScenario, cmd::NextScenario, cmd::OpenVoting,
                 cmd::CloseVoting, cmd::Reveal, cmd::NewRound, cmd::EndSession, cmd::SetVisibility,
                 cmd::CastVote, cmd::AddComment, cmd::Endorse, cmd::ModerateComment,
                 cmd::AddScenario, cmd::UpdateScenario, cmd::ReorderScenarios>;

}  // namespace quorum
