#pragma once
// A realistic demonstration workshop: three proposed uses of data, six areas, and simulated
// participants who vote and comment through the same commands as real people. Deterministic for a
// given seed, so demos, exports and tests are reproducible.
#include <cstdint>
#include <string>
#include <vector>

#include "sessions/events.hpp"

namespace quorum {

struct DemoOptions {
    std::uint32_t participants = 24;
    std::uint64_t seed = 1;
    TimeMs start = 1'773'136'800'000;  // 2026-03-10 10:00 UTC
};

struct DemoWorkshop {
    std::string code;
    std::string facilitator_token;  // derived from the seed: a demo, not a secret
    std::vector<Event> log;         // the whole event log, starting with session_created
};

/// Runs the demo workshop: scenario 1 over two rounds, scenario 2 over one, and scenario 3 left
/// open for voting so that real clients can join and take part.
DemoWorkshop build_demo(const DemoOptions& options);

}  // namespace quorum
