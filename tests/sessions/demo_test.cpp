#include "sessions/demo.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sessions/event_json.hpp"
#include "sessions/session.hpp"
#include "sessions/tokens.hpp"

using namespace quorum;

TEST_CASE("the demo workshop is deterministic for a seed") {
    auto a = build_demo({24, 7});
    auto b = build_demo({24, 7});
    auto c = build_demo({24, 8});
    CHECK(a.code == b.code);
    CHECK(a.log == b.log);
    CHECK(a.code != c.code);
    CHECK(a.facilitator_token.size() == 32);
}

TEST_CASE("the demo workshop has three scenarios, six areas, rounds, votes and comments") {
    auto demo = build_demo({30, 3});
    auto s = Session::replay(demo.log);
    CHECK(s.config().areas.size() == 6);
    REQUIRE(s.scenarios().size() == 3);
    CHECK(s.scenarios()[0].rounds.size() == 2);
    CHECK(s.scenarios()[0].rounds[1].revealed);
    CHECK(s.scenarios()[1].rounds.size() == 1);
    CHECK(s.phase() == Phase::voting_open);  // scenario 3 waits for real participants
    CHECK(s.current_scenario()->scenario.id == "bus-pass-journeys");
    CHECK(s.participants().size() == 30);
    CHECK(s.comments().size() == 14);
    CHECK(std::any_of(s.comments().begin(), s.comments().end(), [](const auto& c) { return c.pinned; }));
    std::size_t votes = 0;
    for (const auto& e : demo.log)
        if (std::holds_alternative<ev::VoteCast>(e.payload)) ++votes;
    const auto& tally = s.scenarios()[0].rounds[0].tallies[1];
    CHECK(tally.overall.voters() > 15);
    CHECK(votes > 100);
    CHECK(hash_token(demo.facilitator_token) == s.config().facilitator_token_hash);
    // Timestamps increase through the log.
    for (std::size_t i = 1; i < demo.log.size(); ++i) CHECK(demo.log[i].at >= demo.log[i - 1].at);
}
