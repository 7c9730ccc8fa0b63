#pragma once
// One workshop session: the state machine that turns commands into events and events into state.
// Pure and single-threaded: time, ids and tokens are injected, so it is deterministic and can be
// rebuilt from its event log.
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sessions/commands.hpp"
#include "sessions/errors.hpp"
#include "sessions/events.hpp"
#include "sessions/session_config.hpp"
#include "sessions/session_state.hpp"

namespace quorum {

/// Result of a command: the events it produced (already applied), or the rule it broke.
struct Outcome {
    std::vector<Event> events;
    std::optional<RuleError> error;
    bool duplicate = false;  // a resend of an already-applied client id: nothing new happened
    /// The participant a Join created.
    std::optional<ParticipantId> joined;

    bool ok() const { return !error; }
};

class Session {
public:
    /// Starts a session from a configuration; the first event of its log is SessionCreated.
    /// Fails when the configuration is unusable.
    static std::variant<Session, RuleError> create(SessionConfig config, TimeMs now);

    /// Rebuilds a session from its event log (which must start with SessionCreated).
    static Session replay(const std::vector<Event>& log);

    /// Checks a command against the rules; on success the events are applied and returned.
    Outcome apply(const Actor& actor, const Command& command, TimeMs now);

    /// Applies an event that is already part of the log (replay). Events come in seq order.
    void apply_event(const Event& event);

    // --- Queries -------------------------------------------------------------------------
    /// The configuration as created; scenarios() is the live, editable list of scenarios.
    const SessionConfig& config() const { return config_; }
    const std::string& code() const { return config_.code; }
    Phase phase() const { return phase_; }
    Seq last_seq() const { return last_seq_; }
    TimeMs created_at() const { return created_at_; }
    bool live_results() const { return live_results_; }
    bool show_comments() const { return show_comments_; }
    const std::vector<ScenarioState>& scenarios() const { return scenarios_; }
    const ScenarioState* find_scenario(std::string_view id) const;
    /// The scenario being discussed now, or null in the lobby.
    const ScenarioState* current_scenario() const;
    /// The round being discussed now, or null in the lobby.
    const RoundState* current_round() const;
    const std::vector<ParticipantState>& participants() const { return participants_; }
    const ParticipantState* find_participant(ParticipantId id) const;
    /// Finds a participant by the hash of their resume token.
    const ParticipantState* find_by_token_hash(const std::string& token_hash) const;
    const std::vector<CommentState>& comments() const { return comments_; }
    const CommentState* find_comment(CommentId id) const;
    /// The participant's vote on a test in a round, or no_vote.
    int vote_of(ParticipantId id, const ScenarioState& scenario, int round, std::size_t test) const;
    /// May participants see the results of this round now?
    bool results_visible_to_participants(const RoundState& round) const;

private:
    Session() = default;

    ScenarioState* scenario_mut(std::string_view id);
    RoundState* current_round_mut();
    RoundState make_round(int number) const;
    void recompute_phase();
    Seq next_seq() const { return last_seq_ + 1; }

    // One handler per command; each checks the rules and returns the events to apply.
    std::variant<std::vector<EventPayload>, RuleError> decide(const Actor&, const Command&) const;
    std::variant<std::vector<EventPayload>, RuleError> decide_vote(const Actor&,
                                                                   const cmd::CastVote&) const;
    std::variant<std::vector<EventPayload>, RuleError> decide_comment(const Actor&,
                                                                      const cmd::AddComment&) const;

    void on(const ev::SessionCreated&, TimeMs at);
    void on(const ev::ParticipantJoined&, TimeMs at);
    void on(const ev::ScenarioOpened&, TimeMs at);
    void on(const ev::VotingOpened&, TimeMs at);
    void on(const ev::VotingClosed&, TimeMs at);
    void on(const ev::ResultsRevealed&, TimeMs at);
    void on(const ev::RoundStarted&, TimeMs at);
    void on(const ev::SessionEnded&, TimeMs at);
    void on(const ev::VisibilityChanged&, TimeMs at);
    void on(const ev::VoteCast&, TimeMs at);
    void on(const ev::CommentAdded&, TimeMs at);
    void on(const ev::CommentEndorsed&, TimeMs at);
    void on(const ev::CommentHidden&, TimeMs at);
    void on(const ev::CommentPinned&, TimeMs at);
    void on(const ev::ScenarioAdded&, TimeMs at);
    void on(const ev::ScenarioUpdated&, TimeMs at);
    void on(const ev::ScenariosReordered&, TimeMs at);

    SessionConfig config_;
    TimeMs created_at_ = 0;
    Seq last_seq_ = 0;
    Phase phase_ = Phase::lobby;
    bool ended_ = false;
    bool live_results_ = false;
    bool show_comments_ = true;
    std::vector<ScenarioState> scenarios_;  // in facilitator's order
    std::string current_;                   // id of the scenario under discussion; empty in lobby
    std::vector<ParticipantState> participants_;
    std::unordered_map<std::string, ParticipantId> by_token_hash_;
    std::vector<CommentState> comments_;
};

}  // namespace quorum
