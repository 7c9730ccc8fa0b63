#include "load/db_check.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

namespace quorum::load {

DbCheck check_votes_in_database(const std::string& path, const std::string& session,
                                const std::vector<ExpectedVote>& votes) {
    DbCheck out;
    std::unordered_map<std::uint64_t, nlohmann::json> stored;
    try {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        db.setBusyTimeout(5000);
        SQLite::Statement q(
            db, "SELECT seq, body FROM events WHERE session = ? AND type = 'vote_cast'");
        q.bind(1, session);
        while (q.executeStep())
            stored[static_cast<std::uint64_t>(q.getColumn(0).getInt64())] =
                nlohmann::json::parse(q.getColumn(1).getString(), nullptr, false);
    } catch (const std::exception& e) {
        out.problems.push_back(std::string("cannot read ") + path + ": " + e.what());
        return out;
    }
    for (const auto& v : votes) {
        ++out.checked;
        auto it = stored.find(v.seq);
        std::string why;
        if (it == stored.end()) {
            why = "missing";
        } else {
            const auto& b = it->second;
            if (b.is_discarded() || b.value("participant", 0u) != v.participant ||
                b.value("scenario", "") != v.scenario || b.value("test", "") != v.test ||
                b.value("value", -1) != v.value)
                why = "differs: " + (b.is_discarded() ? std::string("unreadable") : b.dump());
        }
        if (why.empty()) {
            ++out.found;
        } else if (out.problems.size() < 10) {
            out.problems.push_back("vote seq " + std::to_string(v.seq) + " of participant " +
                                   std::to_string(v.participant) + " " + why);
        }
    }
    return out;
}

}  // namespace quorum::load
