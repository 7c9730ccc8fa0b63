#pragma once
// votes.csv and comments.csv: UTF-8 with a byte-order mark (so spreadsheets read accents right),
// RFC 4180 quoting, CRLF line ends, every cell safe against formula injection.
#include <string>
#include <vector>

#include "sessions/session.hpp"

namespace quorum::exports {

/// One row per counted vote: each participant's last vote per scenario, test and round, with the
/// time it was cast. Changes of mind are in the transcript, not here.
std::string votes_csv(const std::vector<Event>& log, const Session& session, bool names);

/// One row per comment. The text of a comment the facilitator hid is withheld.
std::string comments_csv(const Session& session, bool names);

}  // namespace quorum::exports
