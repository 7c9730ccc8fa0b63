#pragma once
// One line per event on stderr, with a timestamp and a level. Never pass secrets or message
// contents: tokens and what people wrote stay out of logs.
#include <string_view>

namespace quorum {

void log_info(std::string_view line);
void log_warn(std::string_view line);
void log_error(std::string_view line);

}  // namespace quorum
