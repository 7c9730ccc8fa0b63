#pragma once
// Builders shared by the domain tests.
#include <string>

#include "sessions/session.hpp"

namespace quorum::testing {

inline SessionConfig three_area_config() {
    SessionConfig c;
    c.code = "ABC234";
    c.title = "Data for public benefit: test workshop";
    c.areas = {"Leeds", "Bradford", "Wakefield"};
    c.scenarios = {
        {"", "School attendance", "Share attendance with early help.", "", "", "", "education"},
        {"", "Damp and asthma", "Link GP records with housing data.", "", "", "", "health"},
    };
    c.facilitator_token_hash = "facilitator-hash";
    return c;
}

/// A session built from three_area_config() at time 1000.
inline Session new_session() { return std::get<Session>(Session::create(three_area_config(), 1000)); }

/// Joins a participant and returns their id.
inline ParticipantId join(Session& s, std::string area, Role role = Role::participant,
                          Sector sector = Sector::unspecified) {
    static_assert(sizeof(ParticipantId) >= 4);
    const auto n = s.participants().size() + 1;
    auto out = s.apply(Actor::anonymous(),
                       cmd::Join{"Person " + std::to_string(n), std::move(area), sector, role,
                                 "token-hash-" + std::to_string(n)},
                       2000);
    return out.joined.value();
}

inline Outcome as_facilitator(Session& s, const Command& c, TimeMs at = 3000) {
    return s.apply(Actor::facilitator(), c, at);
}

inline Outcome vote(Session& s, ParticipantId who, std::string scenario, std::string test,
                    int value, std::string client_id = {}) {
    return s.apply(Actor::of_participant(who),
                   cmd::CastVote{std::move(scenario), std::move(test), value, std::nullopt,
                                 std::move(client_id)},
                   4000);
}

}  // namespace quorum::testing
