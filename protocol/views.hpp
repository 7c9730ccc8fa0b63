#pragma once
// What each audience may see of a session, as server messages. No participant ever sees another's
// individual votes; participants see results only once revealed (or when live results are on);
// hidden comments reach only the facilitator (and their author).
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sessions/aggregate.hpp"
#include "sessions/session.hpp"

namespace quorum::proto {

struct Audience {
    bool facilitator = false;
    ParticipantId self = 0;  // for participants: whose own votes and comments are marked "mine"

    static Audience of_facilitator() { return {true, 0}; }
    /// Any participant who is not the subject of the event.
    static Audience of_participants() { return {false, 0}; }
    static Audience of_participant(ParticipantId id) { return {false, id}; }
    /// Presenters see exactly what any participant sees of others.
    static Audience of_presenter() { return of_participants(); }
};

/// Live connection counts, known to the hub rather than the domain.
struct Presence {
    std::uint32_t connected = 0;
    std::vector<std::uint32_t> connected_by_area;  // indexed like the session's areas
};

/// "P07": the pseudonym used wherever a participant's name is not to be shown.
using quorum::pseudonym;

/// Everything the audience may know, to bring a client up to date.
nlohmann::json snapshot_view(const Session& s, const Audience& a, const Presence& presence);

/// The event as this audience may see it, or nothing if it is not for them.
std::optional<nlohmann::json> event_view(const Session& s, const Event& e, const Audience& a);

/// Coalesced live counts (and results where visible) for the current round.
nlohmann::json progress_view(const Session& s, const Audience& a, const Presence& presence);

/// The participant who is the subject of an event (voter, commenter, endorser, author of a
/// moderated comment), if any: they get a personal view, everyone else the shared one.
std::optional<ParticipantId> event_subject(const Session& s, const Event& e);

nlohmann::json ack(const nlohmann::json& req);
/// The same ack as text, with `seq` when the command recorded events and `"duplicate": true` for
/// a repeated client_id: written directly, as acks are most of what the server sends.
std::string ack_text(const nlohmann::json& req, std::optional<Seq> seq, bool duplicate);
nlohmann::json error(const nlohmann::json& req, std::string_view code, std::string_view message);

}  // namespace quorum::proto
