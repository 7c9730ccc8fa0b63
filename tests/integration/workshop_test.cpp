// A whole workshop against the real server over real WebSockets: a facilitator and 21 participants
// in three areas, two scenarios, two rounds on the first, comments, endorsements and moderation;
// then the server is stopped and started again on the same database and everyone resumes.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <map>
#include <set>

#include "server_process.hpp"
#include "ws_client.hpp"

using namespace quorum::testing;
using nlohmann::json;

namespace {

const std::vector<std::string> areas{"Leeds", "Bradford", "Wakefield"};
const std::vector<std::string> tests{"purposeful", "proportionate", "responsible"};
constexpr int people = 21;

/// The vote participant i finally gives on a test in a round: 0 means "can't say".
int final_vote(int i, int test, int round) {
    if (i % 6 == 5) return 0;
    return 1 + (i * 3 + test * 2 + round) % 5;
}

json vote_json(int value) {
    return value == 0 ? json("cant_say") : json(value);
}

struct Participant {
    std::unique_ptr<WsClient> ws;
    std::string token;
    int id = 0;
};

json join(WsClient& ws, const std::string& code, const std::string& name, const std::string& area,
          const std::string& sector = "public", const std::string& role = "participant") {
    auto welcome = ws.request({{"type", "join"},
                               {"protocol", 1},
                               {"code", code},
                               {"name", name},
                               {"area", area},
                               {"sector", sector},
                               {"role", role}});
    REQUIRE(welcome["type"] == "welcome");
    ws.wait_for([](const json& m) { return m["type"] == "snapshot"; });
    return welcome;
}

json ok(WsClient& ws, json message) {
    auto reply = ws.request(std::move(message));
    INFO(reply.dump());
    REQUIRE(reply["type"] == "ack");
    return reply;
}

std::string error_code(WsClient& ws, json message) {
    auto reply = ws.request(std::move(message));
    INFO(reply.dump());
    REQUIRE(reply["type"] == "error");
    return reply["code"];
}

json resume_snapshot(unsigned short port, const std::string& code, const std::string& token,
                     std::unique_ptr<WsClient>& keep) {
    keep = std::make_unique<WsClient>(port);
    auto welcome =
        keep->request({{"type", "resume"}, {"protocol", 1}, {"code", code}, {"token", token}});
    REQUIRE(welcome["type"] == "welcome");
    auto snap = keep->wait_for([](const json& m) { return m["type"] == "snapshot"; });
    snap.erase("progress");  // live connection counts differ between two moments
    return snap;
}

json facilitator_snapshot(unsigned short port, const std::string& code, const std::string& token) {
    WsClient ws(port);
    auto welcome =
        ws.request({{"type", "facilitate"}, {"protocol", 1}, {"code", code}, {"token", token}});
    REQUIRE(welcome["type"] == "welcome");
    auto snap = ws.wait_for([](const json& m) { return m["type"] == "snapshot"; });
    snap.erase("progress");
    return snap;
}

/// The distribution [n1..n5] and can't-say count of every participant's final vote.
std::pair<json, int> expected_distribution(int test, int round) {
    std::vector<int> d(5, 0);
    int cant = 0;
    for (int i = 0; i < people; ++i) {
        const int v = final_vote(i, test, round);
        if (v == 0)
            ++cant;
        else
            ++d[static_cast<std::size_t>(v - 1)];
    }
    return {json(d), cant};
}

}  // namespace

TEST_CASE("a whole workshop over WebSockets survives a restart") {
    const TempDir temp_dir("quorum-workshop");
    const auto& dir = temp_dir.path();
    const auto db = dir + "/quorum.db";
    std::string code, fac_token;
    std::vector<Participant> ps(people);
    std::map<int, json> before;  // participant index -> snapshot before the restart
    json fac_before;

    {
        ServerProcess server(quorum_binary(), db);
        const auto port = server.port();

        auto created = http_request(
            port, "POST", "/api/sessions",
            json{
                {"title", "Integration workshop"},
                {"areas", areas},
                {"scenarios",
                 {{{"title", "School attendance"},
                   {"description", "Share attendance with early help."}},
                  {{"title", "Damp and asthma"}, {"description", "Link GP and housing records."}}}}}
                .dump());
        REQUIRE(created.status == 201);
        const auto body = json::parse(created.body);
        code = body["code"];
        fac_token = body["facilitator_token"];

        // The summary endpoint needs the facilitator token.
        CHECK(http_request(port, "GET", "/api/sessions/" + code).status == 401);
        CHECK(http_request(port, "GET", "/api/sessions/" + code, "", "Bearer wrong").status == 403);
        CHECK(
            http_request(port, "GET", "/api/sessions/" + code, "", "Bearer " + fac_token).status ==
            200);

        WsClient fac(port);
        auto welcome = fac.request(
            {{"type", "facilitate"}, {"protocol", 1}, {"code", code}, {"token", fac_token}});
        REQUIRE(welcome["role"] == "facilitator");
        fac.wait_for([](const json& m) { return m["type"] == "snapshot"; });

        for (int i = 0; i < people; ++i) {
            ps[i].ws = std::make_unique<WsClient>(port);
            auto w = join(*ps[i].ws, code, "Person " + std::to_string(i),
                          areas[static_cast<std::size_t>(i % 3)], i % 2 ? "voluntary" : "public");
            ps[i].token = w["token"];
            ps[i].id = w["participant"];
        }
        WsClient observer(port);
        join(observer, code, "Watcher", "Leeds", "other", "observer");

        // Scenario 1, round 1: everyone votes, some change their minds.
        ok(fac, {{"type", "open_scenario"}, {"scenario", "s1"}});
        ok(fac, {{"type", "open_voting"}});
        CHECK(error_code(*ps[0].ws, {{"type", "reveal"}}) == "not_facilitator");
        CHECK(error_code(
                  observer,
                  {{"type", "vote"}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 3}}) ==
              "observer_cannot_vote");
        for (int round = 1; round <= 2; ++round) {
            if (round == 2) {
                ok(fac, {{"type", "new_round"}});
                ok(fac, {{"type", "open_voting"}});
            }
            for (int i = 0; i < people; ++i)
                for (int t = 0; t < 3; ++t) {
                    if (i % 4 == 0)  // a first thought, changed below
                        ok(*ps[i].ws, {{"type", "vote"},
                                       {"scenario", "s1"},
                                       {"test", tests[t]},
                                       {"value", 1 + (i + t) % 5},
                                       {"round", round}});
                    ok(*ps[i].ws,
                       {{"type", "vote"},
                        {"scenario", "s1"},
                        {"test", tests[t]},
                        {"value", vote_json(final_vote(i, t, round))},
                        {"round", round},
                        {"client_id", "v-" + std::to_string(i) + "-" + std::to_string(t) + "-" +
                                          std::to_string(round)}});
                }
            if (round == 1) {
                ok(*ps[1].ws, {{"type", "comment"},
                               {"scenario", "s1"},
                               {"test", "proportionate"},
                               {"kind", "risk"},
                               {"text", "Small schools make pupils identifiable."}});
                ok(*ps[2].ws, {{"type", "comment"},
                               {"scenario", "s1"},
                               {"kind", "benefit"},
                               {"text", "Earlier help for families."}});
                ok(*ps[3].ws, {{"type", "comment"},
                               {"scenario", "s1"},
                               {"kind", "question"},
                               {"text", "<script>alert('x')</script>"}});
                ok(*ps[4].ws, {{"type", "endorse"}, {"comment", 1}});
                ok(*ps[5].ws, {{"type", "endorse"}, {"comment", 1}});
                CHECK(error_code(*ps[4].ws, {{"type", "endorse"}, {"comment", 1}}) ==
                      "already_endorsed");
                CHECK(error_code(*ps[1].ws, {{"type", "endorse"}, {"comment", 1}}) ==
                      "own_comment");
                ok(fac, {{"type", "moderate_comment"}, {"comment", 3}, {"hidden", true}});
                ok(fac, {{"type", "moderate_comment"}, {"comment", 1}, {"pinned", true}});
            }
            ok(fac, {{"type", "close_voting"}});
            CHECK(error_code(*ps[0].ws, {{"type", "vote"},
                                         {"scenario", "s1"},
                                         {"test", "purposeful"},
                                         {"value", 2}}) == "voting_closed");
            ok(fac, {{"type", "reveal"}});

            // Everyone sees the same revealed results, matching the votes cast.
            for (int i : {0, 7, 20}) {
                auto revealed = ps[i].ws->wait_for([&](const json& m) {
                    return m["type"] == "event" && m["event"] == "results_revealed" &&
                           m["round"] == round;
                });
                for (int t = 0; t < 3; ++t) {
                    auto [dist, cant] = expected_distribution(t, round);
                    const auto& r = revealed["results"]["tests"][static_cast<std::size_t>(t)];
                    CHECK(r["test"] == tests[static_cast<std::size_t>(t)]);
                    CHECK(r["distribution"] == dist);
                    CHECK(r["cant_say"] == cant);
                }
            }
        }

        // Scenario 2: one test at a time.
        ok(fac, {{"type", "next_scenario"}});
        ok(fac, {{"type", "open_voting"}, {"test", "purposeful"}});
        for (int i = 0; i < people; ++i)
            ok(*ps[i].ws, {{"type", "vote"},
                           {"scenario", "s2"},
                           {"test", "purposeful"},
                           {"value", 1 + i % 5}});
        CHECK(error_code(
                  *ps[0].ws,
                  {{"type", "vote"}, {"scenario", "s2"}, {"test", "responsible"}, {"value", 2}}) ==
              "voting_closed");
        ok(fac, {{"type", "close_voting"}});

        // No participant ever received someone else's vote.
        for (int i = 0; i < people; ++i)
            for (const auto& m : ps[i].ws->inbox())
                if (m["type"] == "event" && m["event"] == "vote_cast") {
                    INFO(m.dump());
                    CHECK(m.contains("value"));
                }
        for (const auto& m : observer.inbox())
            CHECK_FALSE((m["type"] == "event" && m["event"] == "vote_cast"));

        // The hidden comment reaches nobody but the facilitator and its author.
        std::vector<std::unique_ptr<WsClient>> keep(people);
        for (int i = 0; i < people; ++i)
            before[i] = resume_snapshot(port, code, ps[i].token, keep[static_cast<std::size_t>(i)]);
        std::set<int> visible;
        for (const auto& c : before[0]["comments"]) visible.insert(c["id"].get<int>());
        CHECK(visible == std::set<int>{1, 2});
        CHECK(before[3]["comments"].size() == 3);  // the author still sees their own
        CHECK(before[0]["comments"][0]["pinned"] == true);
        CHECK(before[0]["comments"][0]["endorsements"] == 2);
        fac_before = facilitator_snapshot(port, code, fac_token);
        CHECK(fac_before["session"]["phase"] == "voting_closed");
        CHECK(fac_before["participants"].size() == people + 1);

        // A graceful stop says goodbye with 1001 to every client.
        const int status = server.stop(SIGTERM);
        CHECK(status == 0);
        CHECK(fac.wait_for_close() == 1001);
        CHECK(ps[0].ws->wait_for_close() == 1001);
    }

    {
        ServerProcess server(quorum_binary(), db);
        const auto port = server.port();
        for (int i = 0; i < people; ++i) {
            std::unique_ptr<WsClient> ws;
            auto after = resume_snapshot(port, code, ps[i].token, ws);
            INFO("participant " << i);
            CHECK(after == before[i]);
            // And the votes are the ones cast, for both rounds.
            std::map<std::string, json> votes;
            for (const auto& v : after["my_votes"])
                votes[v["scenario"].get<std::string>() + "/" +
                      std::to_string(v["round"].get<int>()) + "/" + v["test"].get<std::string>()] =
                    v["value"];
            for (int round = 1; round <= 2; ++round)
                for (int t = 0; t < 3; ++t)
                    CHECK(votes["s1/" + std::to_string(round) + "/" +
                                tests[static_cast<std::size_t>(t)]] ==
                          vote_json(final_vote(i, t, round)));
            CHECK(votes["s2/1/purposeful"] == 1 + i % 5);
        }
        CHECK(facilitator_snapshot(port, code, fac_token) == fac_before);
        CHECK(server.stop(SIGTERM) == 0);
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("the demo session can be joined and voted in") {
    const TempDir temp_dir("quorum-demo");
    const auto& dir = temp_dir.path();
    ServerProcess server(quorum_binary(), dir + "/demo.db", {"--demo"});
    const auto& banner = server.banner();
    const auto at = banner.find("join code: ");
    REQUIRE(at != std::string::npos);
    const auto code = banner.substr(at + 11, 6);

    WsClient ws(server.port());
    auto info = ws.request({{"type", "lookup"}, {"code", code}});
    REQUIRE(info["type"] == "session_info");
    CHECK(info["areas"].size() == 6);
    ws.request({{"type", "join"}, {"protocol", 1}, {"code", code}, {"area", info["areas"][0]}});
    auto snap = ws.wait_for([](const json& m) { return m["type"] == "snapshot"; });
    CHECK(snap["session"]["phase"] == "voting_open");
    const std::string scenario = snap["session"]["scenario"];
    ok(ws, {{"type", "vote"}, {"scenario", scenario}, {"test", "purposeful"}, {"value", 4}});
    ok(ws, {{"type", "comment"},
            {"scenario", scenario},
            {"kind", "question"},
            {"text", "Who audits the contractor?"}});
    CHECK(server.stop(SIGTERM) == 0);
    std::filesystem::remove_all(dir);
}
