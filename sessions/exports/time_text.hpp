#pragma once
// Times in exports, always in UTC so that every export of a session says the same thing.
#include <string>

#include "sessions/types.hpp"

namespace quorum::exports {

/// "2026-03-10T10:03:12Z"
std::string iso_utc(TimeMs at);
/// "10 March 2026"
std::string long_date(TimeMs at);
/// "10:03:12"
std::string clock_time(TimeMs at);

}  // namespace quorum::exports
