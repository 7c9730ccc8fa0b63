#include "sessions/exports/csv_exports.hpp"

#include <map>
#include <tuple>

#include "sessions/aggregate.hpp"
#include "sessions/exports/escape.hpp"
#include "sessions/exports/time_text.hpp"

namespace quorum::exports {

std::string votes_csv(const std::vector<Event>& log, const Session& session, bool names) {
    // When each counted vote was cast: the last vote_cast for its participant, scenario, round
    // and test.
    using Key = std::tuple<std::string, int, std::string, ParticipantId>;
    std::map<Key, TimeMs> cast_at;
    for (const auto& e : log)
        if (const auto* v = std::get_if<ev::VoteCast>(&e.payload))
            cast_at[{v->scenario, v->round, v->test, v->participant}] = e.at;

    std::string out = "\xEF\xBB\xBF";
    out += csv_row({"session", "scenario", "test", "round", "area", "sector", "participant",
                    "value", "time", "name"});
    const auto& config = session.config();
    for (const auto& sc : session.scenarios())
        for (const auto& r : sc.rounds)
            for (std::size_t t = 0; t < config.framework.tests.size(); ++t) {
                const auto& test = config.framework.tests[t].id;
                for (const auto& p : session.participants()) {
                    const int value = session.vote_of(p.id, sc, r.number, t);
                    if (value == no_vote) continue;
                    auto at = cast_at.find({sc.scenario.id, r.number, test, p.id});
                    out += csv_row(
                        {session.code(), sc.scenario.id, test, std::to_string(r.number),
                         config.areas.at(p.area), std::string(to_string(p.sector)), pseudonym(p.id),
                         value == cant_say ? "can't say" : std::to_string(value),
                         at == cast_at.end() ? "" : iso_utc(at->second), names ? p.name : ""});
                }
            }
    return out;
}

}  // namespace quorum::exports
