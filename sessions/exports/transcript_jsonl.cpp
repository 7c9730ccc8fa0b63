#include "sessions/exports/transcripts.hpp"

#include <nlohmann/json.hpp>

#include "sessions/event_json.hpp"

namespace quorum::exports {

std::string transcript_jsonl(const std::vector<Event>& log, const Session& session, bool names) {
    std::string out;
    for (const auto& e : log) {
        auto j = event_to_json(e);
        if (std::holds_alternative<ev::SessionCreated>(e.payload)) {
            j["config"].erase("facilitator_token_hash");
        } else if (std::holds_alternative<ev::ParticipantJoined>(e.payload)) {
            j.erase("token_hash");
            if (!names) j["name"] = "";
        } else if (const auto* c = std::get_if<ev::CommentAdded>(&e.payload)) {
            if (session.find_comment(c->comment)->hidden) {
                j["text"] = "";
                j["withheld"] = true;
            }
        }
        out += j.dump();
        out += '\n';
    }
    return out;
}

}  // namespace quorum::exports
