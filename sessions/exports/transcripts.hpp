#pragma once
// The record of a session: transcript.jsonl (every event, in order, replayable) and
// transcript.md (a readable, chronological account). Both drop token hashes; both withhold the
// text of comments the facilitator hid; names appear only when asked for.
#include <string>
#include <vector>

#include "sessions/aggregate.hpp"

namespace quorum::exports {

/// One event per line, as stored, minus token hashes (and names unless `names`). Replaying it with
/// Session::replay gives the same findings as the original log.
std::string transcript_jsonl(const std::vector<Event>& log, const Session& session, bool names);

/// Who joined, what opened and closed, votes summarised per phase, every comment and moderation
/// action. `findings` (of the same session) supplies the results shown when a round is revealed.
std::string transcript_markdown(const std::vector<Event>& log, const Session& session,
                                const Findings& findings, bool names);

}  // namespace quorum::exports
