// Who may do what, as a matrix: every client message type sent by every kind of connection
// (none, a participant of this session, a participant of another session, an observer, a
// presenter screen, the facilitator). Whatever is refused must change nothing: not the database,
// not the session in memory, and nobody else hears of it. Then the same for the HTTP API, and what
// participants may see of each other's votes.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <set>

#include "hub_fixture.hpp"
#include "protocol/views.hpp"
#include "server/http_api.hpp"

using namespace quorum;
using namespace quorum::hardening;

namespace {

enum class Who { none, participant, other_session, observer, presenter, facilitator };

const char* name(Who r) {
    switch (r) {
        case Who::none:
            return "no session";
        case Who::participant:
            return "participant of this session";
        case Who::other_session:
            return "participant of another session";
        case Who::observer:
            return "observer";
        case Who::presenter:
            return "presenter (a read-only screen, joined with the code alone)";
        case Who::facilitator:
            return "facilitator";
    }
    return "?";
}

/// Two live sessions: A (under test) with its facilitator, two participants, an observer and a
/// presenter screen,
/// voting open on its first scenario and a comment from each participant; B with one participant
/// of its own, its first scenario open and a comment.
struct World {
    HubFixture f;
    CreatedSession a, b;
    Client fac_a, p1, p2, obs, screen, fac_b, q1;
    std::string p1_token, q1_token;

    World() {
        a = create("Session A");
        b = create("Session B");
        fac_a = facilitate(a);
        p1 = join(a, "participant", &p1_token);
        p2 = join(a, "participant");
        obs = join(a, "observer");
        screen = f.connect();
        REQUIRE(f.send(screen, {{"type", "present"}, {"protocol", 1}, {"code", a.code}})["type"] ==
                "welcome");
        ok(fac_a, {{"type", "open_scenario"}, {"scenario", "s1"}});
        ok(fac_a, {{"type", "open_voting"}});
        ok(p2, {{"type", "comment"}, {"scenario", "s1"}, {"kind", "risk"}, {"text", "P2 says"}});
        ok(p1, {{"type", "comment"}, {"scenario", "s1"}, {"kind", "benefit"}, {"text", "P1 says"}});
        ok(p2, {{"type", "vote"}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 4}});
        fac_b = facilitate(b);
        q1 = join(b, "participant", &q1_token);
        ok(fac_b, {{"type", "open_scenario"}, {"scenario", "s1"}});
        ok(q1, {{"type", "comment"}, {"scenario", "s1"}, {"kind", "risk"}, {"text", "Q1 says"}});
    }

    CreatedSession create(const std::string& title) {
        SessionConfig c;
        c.title = title;
        c.areas = {"Leeds", "Bradford"};
        c.scenarios = {{"", "Attendance", "Share attendance."}, {"", "Damp", "Link records."}};
        auto created = f.hub().create_session(c);
        REQUIRE(std::holds_alternative<CreatedSession>(created));
        return std::get<CreatedSession>(created);
    }
    Client facilitate(const CreatedSession& s) {
        auto c = f.connect();
        auto r = f.send(c, {{"type", "facilitate"},
                            {"protocol", 1},
                            {"code", s.code},
                            {"token", s.facilitator_token}});
        REQUIRE(r["type"] == "welcome");
        return c;
    }
    Client join(const CreatedSession& s, const std::string& role, std::string* token = nullptr) {
        auto c = f.connect();
        auto r = f.send(c, {{"type", "join"},
                            {"protocol", 1},
                            {"code", s.code},
                            {"area", "Leeds"},
                            {"role", role}});
        REQUIRE(r["type"] == "welcome");
        if (token) *token = r["token"];
        return c;
    }
    void ok(const Client& c, json m) {
        auto r = f.send(c, std::move(m));
        INFO(r.dump());
        REQUIRE(r["type"] == "ack");
    }
    Client as(Who r) {
        switch (r) {
            case Who::none:
                return f.connect();
            case Who::participant:
                return p1;
            case Who::other_session:
                return q1;
            case Who::observer:
                return obs;
            case Who::presenter:
                return screen;
            case Who::facilitator:
                return fac_a;
        }
        return {};
    }
    /// Session A as its facilitator sees it, the whole of it.
    std::string memory_of_a() {
        const auto* s = f.hub().find_session(a.code);
        REQUIRE(s);
        return proto::snapshot_view(*s, proto::Audience::of_facilitator(), {}).dump();
    }
};

/// One message of every type a client can send, aimed at session A.
std::vector<std::pair<std::string, std::function<json(World&)>>> messages() {
    return {
        {"ping",
         [](World&) {
             return json{{"type", "ping"}};
         }},
        {"lookup",
         [](World& w) {
             return json{{"type", "lookup"}, {"code", w.a.code}};
         }},
        {"join",
         [](World& w) {
             return json{{"type", "join"}, {"protocol", 1}, {"code", w.a.code}, {"area", "Leeds"}};
         }},
        {"resume",
         [](World& w) {
             return json{
                 {"type", "resume"}, {"protocol", 1}, {"code", w.a.code}, {"token", w.p1_token}};
         }},
        {"facilitate",
         [](World& w) {
             return json{{"type", "facilitate"},
                         {"protocol", 1},
                         {"code", w.a.code},
                         {"token", w.a.facilitator_token}};
         }},
        {"present",
         [](World& w) {
             return json{{"type", "present"}, {"protocol", 1}, {"code", w.a.code}};
         }},
        {"export",
         [](World&) {
             return json{{"type", "export"}, {"format", "findings.json"}};
         }},
        {"vote",
         [](World&) {
             return json{{"type", "vote"},
                         {"scenario", "s1"},
                         {"test", "proportionate"},
                         {"value", 2},
                         {"client_id", "matrix-vote"}};
         }},
        {"comment",
         [](World&) {
             return json{{"type", "comment"},
                         {"scenario", "s1"},
                         {"kind", "question"},
                         {"text", "Who decided?"},
                         {"client_id", "matrix-comment"}};
         }},
        {"endorse",
         [](World&) {
             return json{{"type", "endorse"}, {"comment", 1}};
         }},
        {"open_scenario",
         [](World&) {
             return json{{"type", "open_scenario"}, {"scenario", "s2"}};
         }},
        {"next_scenario",
         [](World&) {
             return json{{"type", "next_scenario"}};
         }},
        {"open_voting",
         [](World&) {
             return json{{"type", "open_voting"}};
         }},
        {"close_voting",
         [](World&) {
             return json{{"type", "close_voting"}};
         }},
        {"reveal",
         [](World&) {
             return json{{"type", "reveal"}};
         }},
        {"new_round",
         [](World&) {
             return json{{"type", "new_round"}};
         }},
        {"end_session",
         [](World&) {
             return json{{"type", "end_session"}};
         }},
        {"set_visibility",
         [](World&) {
             return json{{"type", "set_visibility"}, {"live_results", true}};
         }},
        {"moderate_comment",
         [](World&) {
             return json{{"type", "moderate_comment"}, {"comment", 1}, {"hidden", true}};
         }},
        {"add_scenario",
         [](World&) {
             return json{
                 {"type", "add_scenario"},
                 {"scenario", {{"title", "Injected"}, {"description", "Should not be here."}}}};
         }},
        {"update_scenario",
         [](World&) {
             return json{
                 {"type", "update_scenario"},
                 {"scenario", {{"id", "s2"}, {"title", "Rewritten"}, {"description", "No."}}}};
         }},
        {"reorder_scenarios",
         [](World&) {
             return json{{"type", "reorder_scenarios"}, {"order", {"s2", "s1"}}};
         }},
    };
}

const std::set<std::string> participant_commands{"vote", "comment", "endorse"};
const std::set<std::string> identity_messages{"join", "resume", "facilitate", "present"};

/// What the server must answer, or "" when the message is allowed (and may succeed or fail on
/// the session's rules, which is not an authorisation question).
std::string expected_refusal(const std::string& type, Who role) {
    if (type == "ping" || type == "lookup") return "";
    if (identity_messages.count(type)) return role == Who::none ? "" : "already_joined";
    if (role == Who::none) return "not_joined";
    if (type == "export") return role == Who::facilitator ? "" : "not_facilitator";
    if (participant_commands.count(type)) {
        if (role == Who::facilitator || role == Who::presenter) return "not_participant";
        if (role == Who::observer && type != "comment") return "observer_cannot_vote";
        return "";  // a participant of another session acts in their own session only
    }
    return role == Who::facilitator ? "" : "not_facilitator";
}

const std::set<std::string> authorisation_codes{"not_joined",      "not_facilitator",
                                                "not_participant", "observer_cannot_vote",
                                                "already_joined",  "bad_token"};

}  // namespace

TEST_CASE("every message type from every kind of connection: refused ones change nothing") {
    int refused = 0, allowed = 0;
    for (const auto& [type, make] : messages()) {
        for (auto role : {Who::none, Who::participant, Who::other_session, Who::observer,
                          Who::presenter, Who::facilitator}) {
            World w;  // fresh for each cell, so allowed cells do not disturb the next
            const auto expected = expected_refusal(type, role);
            INFO(type << " from a " << name(role));
            auto client = w.as(role);
            // Whatever the setup still has on its way (comments go out on the tick) arrives first.
            for (int i = 0; i < 5; ++i) w.f.hub().tick();
            w.f.settle();
            const auto db_before = w.f.dump();
            const auto a_before = w.f.dump(w.a.code);
            const auto memory_before = w.memory_of_a();
            const auto fac_events_before = w.fac_a.sink->count("event");
            const auto p2_events_before = w.p2.sink->count("event");

            const auto reply = w.f.send(client, make(w));
            INFO(reply.dump());
            REQUIRE(reply["type"] != "no reply");
            for (int i = 0; i < 5; ++i) w.f.hub().tick();
            w.f.settle();

            if (!expected.empty()) {
                ++refused;
                CHECK(reply["type"] == "error");
                CHECK(reply["code"] == expected);
                CHECK(w.f.dump() == db_before);
                CHECK(w.memory_of_a() == memory_before);
                CHECK(w.fac_a.sink->count("event") == fac_events_before);
                CHECK(w.p2.sink->count("event") == p2_events_before);
            } else {
                ++allowed;
                if (reply["type"] == "error") CHECK(authorisation_codes.count(reply["code"]) == 0);
                // Whatever a participant of another session does stays in their own session.
                if (role == Who::other_session) {
                    CHECK(w.f.dump(w.a.code) == a_before);
                    CHECK(w.memory_of_a() == memory_before);
                    CHECK(w.fac_a.sink->count("event") == fac_events_before);
                }
            }
            CHECK_FALSE(client.sink->closed_with);
        }
    }
    CHECK(refused > 60);
    CHECK(allowed > 25);
}

TEST_CASE("credentials only open the session and identity they were issued for") {
    World w;
    const auto before = w.f.dump();
    auto attempt = [&](json m) {
        auto c = w.f.connect();
        auto r = w.f.send(c, std::move(m));
        INFO(r.dump());
        CHECK(r["type"] == "error");
        // A refused identity leaves the connection without one: commands are still not_joined.
        auto after = w.f.send(c, {{"type", "open_voting"}});
        CHECK(after["code"] == "not_joined");
        return r["code"].get<std::string>();
    };
    auto facilitate = [&](const std::string& code, const std::string& token) {
        return attempt({{"type", "facilitate"}, {"protocol", 1}, {"code", code}, {"token", token}});
    };
    auto resume = [&](const std::string& code, const std::string& token) {
        return attempt({{"type", "resume"}, {"protocol", 1}, {"code", code}, {"token", token}});
    };
    // Another session's facilitator token, a participant's token, the stored hash of the right
    // token (someone who read the database), the token with a byte changed or cut short.
    CHECK(facilitate(w.a.code, w.b.facilitator_token) == "bad_token");
    CHECK(facilitate(w.a.code, w.p1_token) == "bad_token");
    CHECK(facilitate(w.a.code, hash_token(w.a.facilitator_token)) == "bad_token");
    auto changed = w.a.facilitator_token;
    changed[5] = changed[5] == 'a' ? 'b' : 'a';
    CHECK(facilitate(w.a.code, changed) == "bad_token");
    CHECK(facilitate(w.a.code, w.a.facilitator_token.substr(0, 31)) == "bad_token");
    CHECK(facilitate(w.a.code, "") != "");
    // A participant token works only in its own session, and never as a facilitator.
    CHECK(resume(w.a.code, w.q1_token) == "bad_token");
    CHECK(resume(w.b.code, w.p1_token) == "bad_token");
    CHECK(resume(w.a.code, w.a.facilitator_token) == "bad_token");
    CHECK(resume(w.a.code, hash_token(w.p1_token)) == "bad_token");
    // The right credentials in the wrong session's code.
    CHECK(facilitate(w.b.code, w.a.facilitator_token) == "bad_token");
    CHECK(facilitate("ZZZZZZ", w.a.facilitator_token) == "unknown_session");
    CHECK(w.f.dump() == before);
}

TEST_CASE("participants never see each other's votes, nor results before they are revealed") {
    World w;
    // Several people vote, differently; P1 (our observer of the traffic) votes too.
    w.ok(w.p2, {{"type", "vote"}, {"scenario", "s1"}, {"test", "proportionate"}, {"value", 1}});
    w.ok(w.p1, {{"type", "vote"}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 2}});
    for (int i = 0; i < 10; ++i) w.f.hub().tick();
    w.f.settle();

    // Anything that could carry results or someone else's vote, anywhere in a message.
    std::function<void(const json&, const std::string&)> no_results =
        [&](const json& j, const std::string& where) {
            if (j.is_object()) {
                for (auto it = j.begin(); it != j.end(); ++it) {
                    INFO(where << "." << it.key());
                    CHECK(it.key() != "distribution");
                    CHECK(it.key() != "median");
                    if (it.key() == "results") CHECK((it->is_null() || it->empty()));
                    no_results(*it, where + "." + it.key());
                }
            } else if (j.is_array()) {
                for (const auto& v : j) no_results(v, where + "[]");
            }
        };
    for (auto* sink : {w.p1.sink.get(), w.obs.sink.get(), w.screen.sink.get(), w.q1.sink.get()}) {
        for (const auto& m : sink->messages) {
            no_results(m, m.value("type", "?"));
            if (m["type"] == "event" && m["event"] == "vote_cast") {
                // Only one's own votes come back, marked as such.
                CHECK(sink == w.p1.sink.get());
                CHECK(m["value"] == 2);
            }
            if (m.contains("my_votes"))
                for (const auto& v : m["my_votes"]) CHECK(v["value"] == 2);
        }
        for (const auto& m : sink->latest) no_results(m, "progress");
    }
    // Nothing of session A ever reaches session B's participant.
    for (const auto& m : w.q1.sink->messages) {
        CHECK(m.dump().find("P1 says") == std::string::npos);
        CHECK(m.dump().find(w.a.code) == std::string::npos);
    }

    // Once revealed, results are for everyone in the session; still nobody's individual vote.
    w.ok(w.fac_a, {{"type", "close_voting"}});
    w.ok(w.fac_a, {{"type", "reveal"}});
    bool saw_results = false;
    for (const auto& m : w.p1.sink->messages)
        if (m["type"] == "event" && m["event"] == "results_revealed") saw_results = true;
    CHECK(saw_results);
    for (const auto& m : w.q1.sink->messages) CHECK(m.value("event", "") != "results_revealed");
}

TEST_CASE("the HTTP API opens a session only with its facilitator token") {
    World w;
    HttpApi api(w.f.hub(), nullptr);
    const auto before = w.f.dump();
    auto get = [&](const std::string& target, const std::string& auth) {
        return api.handle(HttpRequest{"GET", target, auth, {}});
    };
    const std::vector<std::string> targets{
        "/api/sessions/" + w.a.code, "/api/sessions/" + w.a.code + "/export/findings.json",
        "/api/sessions/" + w.a.code + "/export/transcript.jsonl"};
    const std::vector<std::pair<std::string, unsigned>> refused{
        {"", 401},
        {"Bearer", 401},
        {"Bearer ", 401},
        {"Basic " + w.a.facilitator_token, 401},
        {"bearer " + w.a.facilitator_token, 401},
        {"Bearer " + w.p1_token, 403},
        {"Bearer " + w.b.facilitator_token, 403},
        {"Bearer " + hash_token(w.a.facilitator_token), 403},
        {"Bearer " + w.a.facilitator_token + "0", 403},
        {"Bearer " + w.a.facilitator_token.substr(1), 403},
        {"Bearer  " + w.a.facilitator_token, 403},
    };
    for (const auto& target : targets) {
        for (const auto& [auth, status] : refused) {
            INFO(target << " with Authorization: " << auth);
            auto r = get(target, auth);
            CHECK(r.status == status);
            CHECK(r.body.find("\"seq\"") == std::string::npos);
            CHECK(r.body.find("P1 says") == std::string::npos);
        }
        INFO(target);
        CHECK(get(target, "Bearer " + w.a.facilitator_token).status == 200);
    }
    // A's token does not open B, and an unknown session looks the same as a wrong token.
    CHECK(get("/api/sessions/" + w.b.code, "Bearer " + w.a.facilitator_token).status == 403);
    CHECK(get("/api/sessions/ZZZZZZ", "Bearer " + w.a.facilitator_token).status == 403);
    // Open to anyone: health (counts only), creating a new session (which gives its creator a
    // token for that session and nothing else).
    CHECK(get("/healthz", "").status == 200);
    CHECK(get("/healthz", "").body.find(w.a.code) == std::string::npos);
    // Nothing but GET (and HEAD) reads a session.
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
        auto r = api.handle(HttpRequest{method, "/api/sessions/" + w.a.code,
                                        "Bearer " + w.a.facilitator_token, "{}"});
        CHECK(r.status == 405);
    }
    CHECK(w.f.dump() == before);
}
