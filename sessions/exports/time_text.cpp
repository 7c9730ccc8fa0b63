#include "sessions/exports/time_text.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace quorum::exports {
namespace {

struct Civil {
    int year;
    unsigned month, day;
    long long hours, minutes, seconds;
};

Civil civil(TimeMs at) {
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds{at}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{floor<seconds>(t - day)};
    return {static_cast<int>(ymd.year()),
            static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()),
            hms.hours().count(),
            hms.minutes().count(),
            hms.seconds().count()};
}

}  // namespace

std::string iso_utc(TimeMs at) {
    const auto c = civil(at);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", c.year, c.month, c.day,
                  c.hours, c.minutes, c.seconds);
    return buf;
}

std::string long_date(TimeMs at) {
    static constexpr std::array<const char*, 12> months{
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    const auto c = civil(at);
    return std::to_string(c.day) + " " + months.at(c.month - 1) + " " + std::to_string(c.year);
}

std::string clock_time(TimeMs at) {
    const auto c = civil(at);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", c.hours, c.minutes, c.seconds);
    return buf;
}

}  // namespace quorum::exports
