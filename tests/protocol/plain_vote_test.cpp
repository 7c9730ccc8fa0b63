// The shortcut for plain votes against the full decoder: whatever the shortcut accepts, the full
// decoder accepts with the same result, and the votes real clients send take the shortcut.
#include "protocol/plain_vote.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "protocol/decode.hpp"

using namespace quorum;
using namespace quorum::proto;

namespace {

const cmd::CastVote* vote_in(const ClientMessage& m) {
    const auto* command = std::get_if<Command>(&m.body);
    return command ? std::get_if<cmd::CastVote>(command) : nullptr;
}

/// Checks one text both ways; returns whether the shortcut took it.
bool agrees(const std::string& text) {
    INFO(text);
    const auto plain = decode_plain_vote(text);
    const auto full = decode_tree(text);
    if (!plain) return false;
    REQUIRE(std::holds_alternative<ClientMessage>(full));
    const auto& expected = std::get<ClientMessage>(full);
    const auto* want = vote_in(expected);
    const auto* got = vote_in(*plain);
    REQUIRE(want);
    REQUIRE(got);
    CHECK(plain->req == expected.req);
    CHECK(plain->req.dump() == expected.req.dump());
    CHECK(got->scenario == want->scenario);
    CHECK(got->test == want->test);
    CHECK(got->value == want->value);
    CHECK(got->round == want->round);
    CHECK(got->client_id == want->client_id);
    return true;
}

}  // namespace

TEST_CASE("the votes clients send take the shortcut, with the full decoder's result") {
    // The web client's shape, quorum-load's shape, and the documented example.
    CHECK(agrees(
        R"({"type":"vote","scenario":"s1","round":1,"test":"purposeful","value":4,"client_id":"m1x2-7","req":12})"));
    CHECK(agrees(
        R"({"type":"vote","scenario":"s2","test":"responsible","value":"cant_say","client_id":"V17-3","req":1099511627778})"));
    CHECK(agrees(
        "{\n  \"type\": \"vote\",\n  \"scenario\": \"falls\",\n  \"test\": \"purposeful\",\n  "
        "\"value\": 4,\n  \"round\": 1,\n  \"client_id\": \"a-v1\",\n  \"req\": 3\n}"));
    CHECK(agrees(R"({"req":"a","value":1,"test":"t","scenario":"x","type":"vote"})"));
    CHECK(agrees(R"({"type":"vote","scenario":"x","test":"t","value":5,"client_id":""})"));
    CHECK(agrees(R"({"type":"vote","scenario":"x","test":"t","value":2,"req":-4})"));
}

TEST_CASE("anything unusual is left to the full decoder") {
    for (
        const char* text : {
            R"({"type":"vote","scenario":"x","test":"t","value":6})",            // out of range
            R"({"type":"vote","scenario":"x","test":"t","value":3.0})",          // not whole
            R"({"type":"vote","scenario":"x","test":"t","value":"3"})",          // a string
            R"({"type":"vote","scenario":"x","test":"t"})",                      // no value
            R"({"type":"vote","scenario":" ","test":"t","value":3})",            // blank
            R"({"type":"vote","scenario":"x","test":"t","value":3,"extra":1})",  // unknown field
            R"({"type":"vote","scenario":"x","test":"t","value":3,"value":4})",  // twice
            R"({"type":"vote","scenario":"x\"y","test":"t","value":3})",         // an escape
            "{\"type\":\"vote\",\"scenario\":\"caf\xc3\xa9\",\"test\":\"t\",\"value\":3}",  // not
                                                                                            // ASCII
            R"({"type":"vote","scenario":"x","test":"t","value":3,"round":null})",          // null
            R"({"type":"vote","scenario":"x","test":"t","value":3,"req":1234567890123456789})",
            R"({"type":"vote","scenario":"x","test":"t","value":3} x)",   // trailing text
            R"({"type":"vote","scenario":"x","test":"t","value":3,})",    // trailing comma
            R"({"type":"comment","scenario":"x","test":"t","value":3})",  // another type
            R"({"type":"vote","scenario":"x","test":"t","value":03})",    // leading zero
            R"([{"type":"vote"}])",
            R"({"type":"vote","scenario":"x","test":"t","value":3)",  // truncated
        })
        CHECK_FALSE(agrees(text));
}

TEST_CASE("generated vote-like messages: the shortcut never disagrees with the full decoder") {
    std::mt19937 rng(20261125);
    auto pick = [&](const std::vector<std::string>& pool) {
        return pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
    };
    const std::string long64(64, 'x'), long65(65, 'x');
    // Per field: values the shortcut may take, and values it must leave (or that are invalid).
    struct Field {
        std::string key;
        std::vector<std::string> good, odd;
    };
    const std::vector<Field> fields{
        {"type", {R"("vote")"}, {R"("comment")", "5", "null", R"("Vote")", R"("vo\u0074e")"}},
        {"req",
         {"1", "0", "-7", "123456789012345", R"("a")", "\"" + long64 + "\""},
         {"1234567890123456", "1.5", "true", "null", "\"" + long65 + "\"", R"("a\u0041")"}},
        {"scenario",
         {R"("s1")", "\"" + long64 + "\"", R"("a b")"},
         {R"("")", R"(" ")", "\"" + long65 + "\"", "\"caf\xc3\xa9\"", R"("a\"b")", "7", "null"}},
        {"test", {R"("purposeful")", R"("t")"}, {R"("")", R"("\t")", "[]", "\"" + long65 + "\""}},
        {"value",
         {"1", "2", "3", "4", "5", R"("cant_say")"},
         {"0", "6", "-1", "3.0", "1e0", R"("cant say")", R"("3")", "null", "03", "-0"}},
        {"round", {"1", "2", "1000"}, {"1001", "0", "-1", R"("1")", "2.5", "null"}},
        {"client_id",
         {R"("")", R"("c1")", "\"" + long64 + "\""},
         {"\"" + long65 + "\"", "\"\xc3\xa9\"", "5", "null", R"("c\n")"}},
        {"extra", {}, {"1"}},
    };
    const std::vector<std::string> spaces{"", "", "", " ", "\n  ", "\t"};
    int shortcut = 0;
    for (int i = 0; i < 20000; ++i) {
        std::vector<std::size_t> order;
        for (std::size_t f = 0; f < fields.size(); ++f) {
            const auto chance = f == 0 || f == 2 || f == 3 || f == 4 ? 95 : f == 7 ? 3 : 50;
            if (std::uniform_int_distribution<int>(0, 99)(rng) < chance) order.push_back(f);
        }
        if (std::uniform_int_distribution<int>(0, 99)(rng) < 3 && !order.empty())
            order.push_back(order.front());  // a field twice
        std::shuffle(order.begin(), order.end(), rng);
        std::string text = pick(spaces) + "{";
        for (std::size_t k = 0; k < order.size(); ++k) {
            if (k) text += pick(spaces) + ",";
            const auto& f = fields[order[k]];
            const bool odd = f.good.empty() || std::uniform_int_distribution<int>(0, 99)(rng) < 8;
            text += pick(spaces) + "\"" + f.key + "\"" + pick(spaces) + ":" + pick(spaces) +
                    pick(odd ? f.odd : f.good);
        }
        text += pick(spaces) + "}" + pick(spaces);
        const auto cut = std::uniform_int_distribution<int>(0, 99)(rng);
        if (cut < 3) text.resize(text.size() / 2);
        if (cut == 3) text += "x";
        shortcut += agrees(text);
    }
    // Enough of them were plain votes for the comparison to mean something.
    CHECK(shortcut > 1000);
}
