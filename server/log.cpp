#include "server/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace quorum {
namespace {

void write(const char* level, std::string_view line) {
    const auto now = std::chrono::system_clock::now();
    const auto t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    // One fprintf per line: stdio locks the stream, so lines from threads do not interleave.
    std::fprintf(stderr, "%s.%03dZ %s %.*s\n", stamp, static_cast<int>(ms), level,
                 static_cast<int>(line.size()), line.data());
}

}  // namespace

void log_info(std::string_view line) { write("info", line); }
void log_warn(std::string_view line) { write("warn", line); }
void log_error(std::string_view line) { write("error", line); }

}  // namespace quorum
