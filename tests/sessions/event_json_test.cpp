#include "sessions/event_json.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fixtures.hpp"

using namespace quorum;

TEST_CASE("every event type survives a JSON round trip") {
    auto config = testing::three_area_config();
    config.framework = default_framework();
    config.scenarios[0].id = "s1";
    config.scenarios[1].id = "s2";
    config.scenarios[0].data_involved = "Attendance marks";
    const std::vector<EventPayload> payloads = {
        ev::SessionCreated{config},
        ev::ParticipantJoined{3, "Asha \"A\" <b>", "Leeds", Sector::voluntary, Role::observer, "h"},
        ev::ScenarioOpened{"s1", 1},
        ev::VotingOpened{"s1", 1, {"purposeful", "responsible"}},
        ev::VotingClosed{"s1", 1, {"purposeful"}},
        ev::ResultsRevealed{"s1", 1},
        ev::RoundStarted{"s1", 2},
        ev::SessionEnded{},
        ev::VisibilityChanged{true, false},
        ev::VoteCast{3, "s1", 2, "purposeful", 0, "cid-1"},
        ev::VoteCast{3, "s1", 2, "purposeful", 5, ""},
        ev::CommentAdded{7, 3, "s1", 1, "", CommentKind::suggestion, "line\nbreak é", "c"},
        ev::CommentEndorsed{7, 2},
        ev::CommentHidden{7, false},
        ev::CommentPinned{7, true},
        ev::ScenarioAdded{{"s9", "T", "D", "data", "a to b", "why", "housing"}},
        ev::ScenarioUpdated{{"s9", "T2", "D2", "", "", "", ""}},
        ev::ScenariosReordered{{"s2", "s1"}},
    };
    Seq seq = 1;
    for (const auto& payload : payloads) {
        Event e{seq++, 1700000000000 + static_cast<TimeMs>(seq), payload};
        const auto text = event_to_json(e).dump();
        const auto back = event_from_json(nlohmann::json::parse(text));
        CHECK(back == e);
    }
}

TEST_CASE("event JSON names the type and leaves out empty optional fields") {
    const auto j = event_to_json(Event{4, 99, ev::VoteCast{1, "s1", 1, "purposeful", 3, ""}});
    CHECK(j["type"] == "vote_cast");
    CHECK(j["seq"] == 4);
    CHECK(j["at"] == 99);
    CHECK_FALSE(j.contains("client_id"));
}

TEST_CASE("malformed stored events are reported, not guessed") {
    CHECK_THROWS(payload_from_json(nlohmann::json{{"type", "no_such_event"}}));
    CHECK_THROWS(payload_from_json(nlohmann::json{{"type", "vote_cast"}}));
    CHECK_THROWS(payload_from_json(nlohmann::json{{"type", "participant_joined"},
                                                  {"participant", 1},
                                                  {"name", ""},
                                                  {"area", "Leeds"},
                                                  {"sector", "martian"},
                                                  {"role", "participant"},
                                                  {"token_hash", "h"}}));
}

TEST_CASE("a vote's stored body, written directly, is the bytes the JSON tree would give") {
    for (const std::string& text :
         {std::string("s1"), std::string(""), std::string("a \"b\" \\ c"),
          std::string("caf\xc3\xa9"), std::string("tab\there"), std::string(64, 'x')})
        for (const std::string& client_id : {std::string(""), std::string("m1x2-7"), text}) {
            const EventPayload vote = ev::VoteCast{42, text, 3, "purposeful", cant_say, client_id};
            auto tree = payload_to_json(vote);
            tree.erase("type");
            INFO(tree.dump());
            CHECK(stored_body(vote) == tree.dump());
            auto back = nlohmann::json::parse(stored_body(vote));
            back["type"] = "vote_cast";
            CHECK(payload_from_json(back) == vote);
        }
    // Everything else goes through the tree.
    const EventPayload endorsed = ev::CommentEndorsed{7, 3};
    auto tree = payload_to_json(endorsed);
    tree.erase("type");
    CHECK(stored_body(endorsed) == tree.dump());
}
