#pragma once
// A proposed use of data that the workshop judges.
#include <string>

namespace quorum {

struct Scenario {
    std::string id;  // stable within the session; may be given to match scenarios across sessions
    std::string title;
    std::string description;  // the proposed use of data, in plain words
    // Optional details; empty when not given.
    std::string data_involved;
    std::string sharing;  // who shares with whom
    std::string purpose;
    std::string theme;  // service theme, e.g. "health and social care"

    bool operator==(const Scenario&) const = default;
};

}  // namespace quorum
