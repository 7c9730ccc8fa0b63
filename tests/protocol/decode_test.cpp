#include "protocol/decode.hpp"

#include <catch2/catch.hpp>

using namespace quorum;
using namespace quorum::proto;

namespace {

ClientMessage ok(std::string_view text) {
    auto r = decode(text);
    if (auto* e = std::get_if<DecodeError>(&r)) FAIL(e->code + ": " + e->message);
    return std::get<ClientMessage>(r);
}

DecodeError refused(std::string_view text) {
    auto r = decode(text);
    REQUIRE(std::holds_alternative<DecodeError>(r));
    return std::get<DecodeError>(r);
}

template <class T>
T command_of(const ClientMessage& m) {
    return std::get<T>(std::get<Command>(m.body));
}

}  // namespace

TEST_CASE("join, resume and facilitate carry the protocol version") {
    auto m = ok(R"({"type":"join","req":1,"protocol":1,"code":"abc-234","name":"Asha","area":"Leeds","sector":"voluntary","role":"observer"})");
    CHECK(m.req == 1);
    const auto& j = std::get<Join>(m.body);
    CHECK(j.code == "ABC234");
    CHECK(j.name == "Asha");
    CHECK(j.area == "Leeds");
    CHECK(j.sector == Sector::voluntary);
    CHECK(j.role == Role::observer);

    auto anon = std::get<Join>(ok(R"({"type":"join","protocol":1,"code":"ABC234","area":"Leeds"})").body);
    CHECK(anon.name.empty());
    CHECK(anon.role == Role::participant);

    auto r = std::get<Resume>(ok(R"({"type":"resume","protocol":1,"code":"ABC234","token":"t","last_seq":42})").body);
    CHECK(r.last_seq == 42u);
    auto f = std::get<Facilitate>(ok(R"({"type":"facilitate","req":"a","protocol":1,"code":"ABC234","token":"t"})").body);
    CHECK_FALSE(f.last_seq);

    CHECK(refused(R"({"type":"join","code":"ABC234","area":"Leeds"})").code == "bad_message");
    auto wrong = refused(R"({"type":"join","req":7,"protocol":2,"code":"ABC234","area":"Leeds"})");
    CHECK(wrong.code == "unsupported_protocol");
    CHECK(wrong.req == 7);
    CHECK(refused(R"({"type":"join","protocol":1,"code":"ABC234","area":"Leeds","sector":"army"})").code == "bad_message");
}

TEST_CASE("votes accept 1 to 5 or cant_say") {
    auto v = command_of<cmd::CastVote>(ok(R"({"type":"vote","scenario":"s1","test":"purposeful","value":4,"round":2,"client_id":"c1"})"));
    CHECK(v.scenario == "s1");
    CHECK(v.test == "purposeful");
    CHECK(v.value == 4);
    CHECK(v.round == 2);
    CHECK(v.client_id == "c1");
    CHECK(command_of<cmd::CastVote>(ok(R"({"type":"vote","scenario":"s1","test":"t","value":"cant_say"})")).value == cant_say);
    for (auto bad : {R"({"type":"vote","scenario":"s1","test":"t","value":0})",
                     R"({"type":"vote","scenario":"s1","test":"t","value":6})",
                     R"({"type":"vote","scenario":"s1","test":"t","value":3.5})",
                     R"({"type":"vote","scenario":"s1","test":"t","value":"3"})",
                     R"({"type":"vote","scenario":"s1","test":"t"})",
                     R"({"type":"vote","scenario":"","test":"t","value":3})",
                     R"({"type":"vote","scenario":"s1","test":"t","value":3,"round":0})"}) {
        INFO(bad);
        CHECK(refused(bad).code == "bad_message");
    }
}

TEST_CASE("every facilitator command decodes") {
    CHECK(command_of<cmd::OpenScenario>(ok(R"({"type":"open_scenario","scenario":"s2"})")).scenario == "s2");
    ok(R"({"type":"next_scenario"})");
    CHECK(command_of<cmd::OpenVoting>(ok(R"({"type":"open_voting","test":"responsible"})")).test == "responsible");
    CHECK_FALSE(command_of<cmd::OpenVoting>(ok(R"({"type":"open_voting"})")).test);
    CHECK_FALSE(command_of<cmd::CloseVoting>(ok(R"({"type":"close_voting"})")).test);
    ok(R"({"type":"reveal"})");
    ok(R"({"type":"new_round"})");
    ok(R"({"type":"end_session"})");
    auto vis = command_of<cmd::SetVisibility>(ok(R"({"type":"set_visibility","live_results":true})"));
    CHECK(vis.live_results == true);
    CHECK_FALSE(vis.show_comments);
    auto mod = command_of<cmd::ModerateComment>(ok(R"({"type":"moderate_comment","comment":3,"hidden":true})"));
    CHECK(mod.comment == 3);
    CHECK(mod.hidden == true);
    auto add = command_of<cmd::AddScenario>(ok(R"({"type":"add_scenario","scenario":{"title":"T","description":"D","theme":"housing"}})"));
    CHECK(add.scenario.theme == "housing");
    CHECK(add.scenario.id.empty());
    CHECK(refused(R"({"type":"update_scenario","scenario":{"title":"T","description":"D"}})").code == "bad_message");
    auto order = command_of<cmd::ReorderScenarios>(ok(R"({"type":"reorder_scenarios","order":["s2","s1"]})"));
    CHECK(order.order == std::vector<std::string>{"s2", "s1"});
    CHECK(refused(R"({"type":"set_visibility"})").code == "bad_message");
    CHECK(refused(R"({"type":"moderate_comment","comment":3})").code == "bad_message");
}

TEST_CASE("comments and endorsements decode with their limits") {
    auto c = command_of<cmd::AddComment>(ok(R"({"type":"comment","scenario":"s1","test":"proportionate","kind":"risk","text":"Small cohorts <b>","client_id":"x"})"));
    CHECK(c.kind == CommentKind::risk);
    CHECK(c.text == "Small cohorts <b>");
    CHECK(refused(R"({"type":"comment","scenario":"s1","kind":"rant","text":"x"})").code == "bad_message");
    std::string long_text(2001, 'x');
    CHECK(refused(R"({"type":"comment","scenario":"s1","kind":"risk","text":")" + long_text + "\"}").code == "bad_message");
    CHECK(command_of<cmd::Endorse>(ok(R"({"type":"endorse","comment":5})")).comment == 5);
    CHECK(refused(R"({"type":"endorse","comment":-1})").code == "bad_message");
}

TEST_CASE("malformed messages are refused with a reason and the request id") {
    CHECK(refused("not json").code == "bad_json");
    CHECK(refused("[1,2]").code == "bad_message");
    CHECK(refused(R"({"req":1})").code == "bad_message");
    auto unknown = refused(R"({"type":"hack","req":"r9"})");
    CHECK(unknown.code == "unknown_type");
    CHECK(unknown.req == "r9");
    auto extra = refused(R"({"type":"reveal","req":3,"force":true})");
    CHECK(extra.code == "bad_message");
    CHECK(extra.message.find("force") != std::string::npos);
    CHECK(extra.req == 3);
    CHECK(refused(R"({"type":"ping","req":{"a":1}})").code == "bad_message");
    std::string deep(100, '[');
    CHECK(refused(deep).code == "too_deep");
    std::string deep_object = R"({"type":"ping","x":)" + std::string(40, '[') + std::string(40, ']') + "}";
    CHECK(refused(deep_object).code == "too_deep");
    // Brackets inside strings do not count as nesting.
    ok(R"({"type":"comment","scenario":"s1","kind":"risk","text":"[[[[[[[[[[[[[[[[[[[[[[[[[["})");
    CHECK(refused("{\"type\":\"comment\",\"scenario\":\"s1\",\"kind\":\"risk\",\"text\":\"\xff\"}").code == "bad_json");
}

TEST_CASE("session requests decode strictly") {
    auto r = decode_session_request(R"({
        "title": "Leeds workshop",
        "areas": ["Leeds", "Bradford"],
        "framework": {"name": "Mine", "tests": [{"id": "fair", "name": "Fair", "questions": ["Is it fair?"]}]},
        "scenarios": [{"title": "Bus passes", "description": "Share journeys", "id": "bus"}]
    })");
    REQUIRE(std::holds_alternative<SessionConfig>(r));
    const auto& c = std::get<SessionConfig>(r);
    CHECK(c.title == "Leeds workshop");
    CHECK(c.areas.size() == 2);
    CHECK(c.framework.tests.at(0).questions.at(0) == "Is it fair?");
    CHECK(c.scenarios.at(0).id == "bus");

    auto minimal = decode_session_request(R"({"title":"T","areas":["A"]})");
    REQUIRE(std::holds_alternative<SessionConfig>(minimal));
    CHECK(std::get<SessionConfig>(minimal).framework.tests.empty());  // default filled in later

    for (auto bad : {R"({"areas":["A"]})", R"({"title":"T","areas":"A"})",
                     R"({"title":"T","areas":["A"],"colour":"red"})",
                     R"({"title":"T","areas":["A"],"scenarios":[{"title":"x"}]})",
                     R"({"title":"T","areas":["A"],"framework":{"tests":[{"id":"x"}]}})"}) {
        INFO(bad);
        CHECK(std::holds_alternative<DecodeError>(decode_session_request(bad)));
    }
}
