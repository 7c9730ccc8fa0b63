#include "sessions/exports/csv_exports.hpp"

#include "sessions/aggregate.hpp"
#include "sessions/exports/escape.hpp"
#include "sessions/exports/time_text.hpp"

namespace quorum::exports {

std::string comments_csv(const Session& session, bool names) {
    std::string out = "\xEF\xBB\xBF";
    out += csv_row({"session", "comment", "scenario", "round", "test", "kind", "area", "sector",
                    "participant", "text", "endorsements", "pinned", "hidden", "time", "name"});
    const auto& config = session.config();
    for (const auto& c : session.comments()) {
        const auto& p = *session.find_participant(c.author);
        out += csv_row({session.code(), std::to_string(c.id), c.scenario, std::to_string(c.round),
                        c.test, std::string(to_string(c.kind)), config.areas.at(p.area),
                        std::string(to_string(p.sector)), pseudonym(p.id), c.hidden ? "" : c.text,
                        std::to_string(c.endorsers.size()), c.pinned ? "yes" : "no",
                        c.hidden ? "yes" : "no", iso_utc(c.at), names ? p.name : ""});
    }
    return out;
}

}  // namespace quorum::exports
