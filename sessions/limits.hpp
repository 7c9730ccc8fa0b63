#pragma once
// Size limits the domain enforces whatever the transport, so no client can grow a session without
// bound. Lengths are in bytes of UTF-8.
#include <cstddef>

namespace quorum::limits {

constexpr std::size_t title = 200;
constexpr std::size_t scenario_text = 4000;  // description and each optional detail
constexpr std::size_t short_text = 200;      // names of areas, tests, scenario titles
constexpr std::size_t display_name = 60;
constexpr std::size_t comment_text = 2000;
constexpr std::size_t areas = 50;
constexpr std::size_t tests = 12;
constexpr std::size_t questions_per_test = 10;
constexpr std::size_t scenarios = 100;
constexpr std::size_t comments_per_participant = 200;
constexpr std::size_t participants = 50000;
constexpr std::size_t client_id = 64;

}  // namespace quorum::limits
