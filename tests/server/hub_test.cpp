#include "server/hub.hpp"

#include <unistd.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>

#include "sessions/store/sqlite_store.hpp"
#include "test_hub.hpp"

using namespace quorum;
using nlohmann::json;
using quorum::testing::RecordingSink;
using quorum::testing::TestHub;

namespace {

/// A SQLite store that can be told to fail, like a full disk.
struct FlakyStore : EventStore {
    explicit FlakyStore(const std::string& path) : inner(path) {}
    SqliteStore inner;
    std::atomic<int> failures_left{0};
    void append(std::span<const StoredEvent> events) override {
        if (failures_left > 0) {
            --failures_left;
            throw std::runtime_error("database or disk is full");
        }
        inner.append(events);
    }
    std::vector<std::string> session_codes() override { return inner.session_codes(); }
    std::vector<Event> load(const std::string& session) override { return inner.load(session); }
};

/// A hub on a temporary SQLite file whose posted callbacks run when the test says so.
struct Harness {
    std::filesystem::path db_path;
    std::unique_ptr<FlakyStore> store;
    std::unique_ptr<TestHub> driver;
    Hub* hub = nullptr;
    bool owns_file = false;
    std::uint32_t starts = 0;

    explicit Harness(std::filesystem::path path = {}) {
        static int counter = 0;
        db_path = path.empty() ? std::filesystem::temp_directory_path() /
                                     ("quorum-hub-test-" + std::to_string(::getpid()) + "-" +
                                      std::to_string(++counter) + ".db")
                               : path;
        owns_file = path.empty();
        if (owns_file) std::filesystem::remove(db_path);
        start();
    }
    void start() {
        store = std::make_unique<FlakyStore>(db_path.string());
        // A new seed for each start: a restarted hub must not hand out the same tokens again.
        driver = std::make_unique<TestHub>(*store, 42 + starts++);
        hub = &driver->hub();
    }
    void stop() {
        driver->shut_down();
        driver.reset();
        hub = nullptr;
        store.reset();
    }
    void settle() { driver->settle(); }
    void send(ConnectionId id, const json& message) {
        hub->on_message(id, message.dump());
        settle();
    }
    std::pair<ConnectionId, std::shared_ptr<RecordingSink>> connect() {
        auto sink = std::make_shared<RecordingSink>();
        return {hub->connect(sink), sink};
    }
    /// A connection that has become the session's facilitator.
    std::pair<ConnectionId, std::shared_ptr<RecordingSink>> facilitator(const CreatedSession& s) {
        auto connected = connect();
        send(connected.first, {{"type", "facilitate"},
                               {"protocol", 1},
                               {"code", s.code},
                               {"token", s.facilitator_token}});
        return connected;
    }
    ~Harness() {
        if (hub) stop();
        if (owns_file)
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(db_path.string() + suffix);
    }
};

CreatedSession make_session(Harness& h) {
    SessionConfig c;
    c.title = "Test workshop";
    c.areas = {"Leeds", "Bradford"};
    c.scenarios = {{"", "Attendance", "Share attendance."}, {"", "Damp", "Link records."}};
    return std::get<CreatedSession>(h.hub->create_session(c));
}

json join_msg(const std::string& code, const std::string& area, int req = 1) {
    return {{"type", "join"}, {"req", req}, {"protocol", 1}, {"code", code}, {"area", area}};
}

}  // namespace

TEST_CASE("a participant joins, gets a token, a welcome and a snapshot") {
    Harness h;
    auto created = make_session(h);
    CHECK(created.code.size() == 6);
    CHECK(created.facilitator_token.size() == 32);
    auto [id, sink] = h.connect();
    h.send(id, join_msg(created.code, "Leeds"));
    REQUIRE(sink->messages.size() == 2);
    CHECK(sink->messages[0]["type"] == "welcome");
    CHECK(sink->messages[0]["req"] == 1);
    CHECK(sink->messages[0]["participant"] == 1);
    CHECK(sink->messages[0]["token"].get<std::string>().size() == 32);
    CHECK(sink->messages[1]["type"] == "snapshot");
    CHECK(sink->messages[1]["you"]["area"] == "Leeds");
}

TEST_CASE("messages before joining, and bad messages, get errors and the connection stays") {
    Harness h;
    auto created = make_session(h);
    auto [id, sink] = h.connect();
    h.send(
        id,
        {{"type", "vote"}, {"req", 5}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 3}});
    CHECK(sink->last()["code"] == "not_joined");
    CHECK(sink->last()["req"] == 5);
    h.hub->on_message(id, "{nonsense");
    CHECK(sink->last()["code"] == "bad_json");
    h.send(id, join_msg("ZZZZZZ", "Leeds"));
    CHECK(sink->last()["code"] == "unknown_session");
    h.send(id, join_msg(created.code, "Atlantis"));
    CHECK(sink->last()["code"] == "unknown_area");
    h.send(id, {{"type", "lookup"}, {"code", created.code}, {"req", 2}});
    CHECK(sink->last()["type"] == "session_info");
    CHECK(sink->last()["areas"] == json::array({"Leeds", "Bradford"}));
    h.send(id, join_msg(created.code, "Leeds"));
    CHECK(sink->of_type("welcome").size() == 1);
    h.send(id, join_msg(created.code, "Leeds"));
    CHECK(sink->last()["code"] == "already_joined");
    CHECK_FALSE(sink->closed_with);
}

TEST_CASE("a facilitator runs a round and participants see only what they may") {
    Harness h;
    auto created = make_session(h);
    auto [fid, fac] = h.connect();
    h.send(fid,
           {{"type", "facilitate"}, {"protocol", 1}, {"code", created.code}, {"token", "wrong"}});
    CHECK(fac->last()["code"] == "bad_token");
    h.send(fid, {{"type", "facilitate"},
                 {"protocol", 1},
                 {"code", created.code},
                 {"token", created.facilitator_token}});
    CHECK(fac->of_type("welcome").at(0)["role"] == "facilitator");
    CHECK(fac->last()["type"] == "snapshot");

    auto [aid, ann] = h.connect();
    auto [bid, bob] = h.connect();
    h.send(aid, join_msg(created.code, "Leeds"));
    h.send(bid, join_msg(created.code, "Bradford"));
    CHECK(fac->events("participant_joined").size() == 2);

    // A participant cannot drive the session.
    h.send(aid, {{"type", "open_scenario"}, {"req", 9}, {"scenario", "s1"}});
    CHECK(ann->last()["code"] == "not_facilitator");

    h.send(fid, {{"type", "open_scenario"}, {"req", 1}, {"scenario", "s1"}});
    h.send(fid, {{"type", "open_voting"}, {"req", 2}});
    CHECK(fac->last()["type"] == "ack");
    CHECK(ann->events("voting_opened").size() == 1);
    CHECK(bob->events("voting_opened").at(0)["current"]["phase"] == "voting_open");

    // Ann also has the session open on a second device.
    auto [aid2, ann2] = h.connect();
    h.send(aid2, {{"type", "resume"},
                  {"protocol", 1},
                  {"code", created.code},
                  {"token", ann->of_type("welcome").at(0)["token"]}});
    REQUIRE(ann2->last()["type"] == "snapshot");

    h.send(
        aid,
        {{"type", "vote"}, {"req", 3}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 5}});
    // The voting connection learns of its vote from the ack alone; her other device gets the event.
    CHECK(ann->last()["type"] == "ack");
    const auto seq = ann->last()["seq"];
    CHECK(seq.is_number());
    CHECK(ann->events("vote_cast").empty());
    REQUIRE(ann2->events("vote_cast").size() == 1);
    CHECK(ann2->events("vote_cast")[0]["seq"] == seq);
    CHECK(ann2->events("vote_cast")[0]["value"] == 5);
    CHECK(bob->events("vote_cast").empty());
    CHECK(fac->events("vote_cast").empty());

    // Progress is coalesced: nothing until a tick, then one update per audience.
    fac->latest.clear();
    bob->latest.clear();
    for (int i = 0; i < 5; ++i) h.hub->tick();
    REQUIRE_FALSE(fac->latest.empty());
    CHECK(fac->latest.back()["tests"][0]["voted"] == 1);
    CHECK(fac->latest.back()["tests"][0]["results"]["median"] == 5);
    REQUIRE(bob->latest.size() == 1);
    CHECK(bob->latest.back()["tests"][0]["voted"] == 1);
    CHECK_FALSE(bob->latest.back()["tests"][0].contains("results"));

    h.send(fid, {{"type", "close_voting"}});
    h.send(fid, {{"type", "reveal"}});
    auto revealed = bob->events("results_revealed");
    REQUIRE(revealed.size() == 1);
    CHECK(revealed[0]["results"]["tests"][0]["distribution"] == json::array({0, 0, 0, 0, 1}));
}

TEST_CASE("acknowledged votes survive a restart and participants resume with them") {
    auto path = std::filesystem::temp_directory_path() /
                ("quorum-hub-restart-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    std::string code, token, fac_token;
    {
        Harness h(path);
        auto created = make_session(h);
        code = created.code;
        fac_token = created.facilitator_token;
        auto [fid, fac] = h.connect();
        h.send(fid,
               {{"type", "facilitate"}, {"protocol", 1}, {"code", code}, {"token", fac_token}});
        auto [aid, ann] = h.connect();
        h.send(aid, join_msg(code, "Bradford"));
        token = ann->of_type("welcome").at(0)["token"];
        h.send(fid, {{"type", "open_scenario"}, {"scenario", "s1"}});
        h.send(fid, {{"type", "open_voting"}});
        h.send(aid, {{"type", "vote"},
                     {"req", 1},
                     {"scenario", "s1"},
                     {"test", "responsible"},
                     {"value", "cant_say"},
                     {"client_id", "v1"}});
        REQUIRE(ann->last()["type"] == "ack");
        h.send(aid, {{"type", "comment"},
                     {"req", 2},
                     {"scenario", "s1"},
                     {"kind", "question"},
                     {"text", "Who sees it?"}});
        REQUIRE(ann->last()["type"] == "ack");
        h.stop();
        CHECK(ann->closed_with == 1001);
    }
    {
        Harness h(path);
        auto [aid, ann] = h.connect();
        h.send(aid, {{"type", "resume"}, {"protocol", 1}, {"code", code}, {"token", "not-mine"}});
        CHECK(ann->last()["code"] == "bad_token");
        h.send(aid, {{"type", "resume"}, {"protocol", 1}, {"code", code}, {"token", token}});
        CHECK(ann->of_type("welcome").at(0)["participant"] == 1);
        auto snap = ann->last();
        REQUIRE(snap["type"] == "snapshot");
        CHECK(snap["session"]["phase"] == "voting_open");
        CHECK(snap["my_votes"].at(0)["value"] == "cant_say");
        CHECK(snap["comments"].at(0)["text"] == "Who sees it?");
        // The resent vote is applied once.
        h.send(aid, {{"type", "vote"},
                     {"req", 3},
                     {"scenario", "s1"},
                     {"test", "responsible"},
                     {"value", 4},
                     {"client_id", "v1"}});
        CHECK(ann->last()["duplicate"] == true);
        CHECK(h.hub->find_session(code)->vote_of(1, h.hub->find_session(code)->scenarios()[0], 1,
                                                 2) == cant_say);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

TEST_CASE("a reconnecting client with its last seq gets only what it missed") {
    Harness h;
    auto created = make_session(h);
    auto [fid, fac] = h.facilitator(created);
    auto [aid, ann] = h.connect();
    h.send(aid, join_msg(created.code, "Leeds"));
    const std::string token = ann->of_type("welcome").at(0)["token"];
    const Seq seen = ann->last()["seq"];
    h.hub->disconnect(aid);
    h.send(fid, {{"type", "open_scenario"}, {"scenario", "s2"}});

    auto [aid2, ann2] = h.connect();
    h.send(aid2, {{"type", "resume"},
                  {"protocol", 1},
                  {"code", created.code},
                  {"token", token},
                  {"last_seq", seen}});
    CHECK(ann2->of_type("snapshot").empty());
    REQUIRE(ann2->events("scenario_opened").size() == 1);
    CHECK(ann2->events("scenario_opened")[0]["scenario"] == "s2");
    CHECK(ann2->last()["type"] == "progress");
}

TEST_CASE("the HTTP-facing queries check the facilitator token") {
    Harness h;
    auto created = make_session(h);
    CHECK(h.hub->is_facilitator(created.code, created.facilitator_token));
    CHECK_FALSE(h.hub->is_facilitator(created.code, "nope"));
    CHECK_FALSE(h.hub->is_facilitator("NOPE22", created.facilitator_token));
    SessionConfig bad;
    bad.title = "";
    bad.areas = {"A"};
    CHECK(std::holds_alternative<RuleError>(h.hub->create_session(bad)));
}

TEST_CASE("a failed save is reported, nothing half-done survives, and the session carries on") {
    Harness h;
    auto created = make_session(h);
    auto [fid, fac] = h.facilitator(created);
    auto [aid, ann] = h.connect();
    h.send(aid, join_msg(created.code, "Leeds"));
    h.send(fid, {{"type", "open_scenario"}, {"scenario", "s1"}});
    h.send(fid, {{"type", "open_voting"}});

    // The disk fills while Bob joins and Ann votes.
    h.store->failures_left = 1;
    auto [bid, bob] = h.connect();
    h.hub->on_message(bid, join_msg(created.code, "Bradford", 7).dump());
    h.hub->on_message(
        aid,
        json{{"type", "vote"}, {"req", 8}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 4}}
            .dump());
    h.settle();
    CHECK(bob->last()["code"] == "storage_failed");
    CHECK(bob->last()["req"] == 7);
    CHECK(ann->of_type("error").size() == 1);
    CHECK(ann->of_type("error")[0]["code"] == "storage_failed");
    const auto* session = h.hub->find_session(created.code);
    CHECK(session->participants().size() == 1);  // Bob's join was not saved, so it is gone
    CHECK(session->vote_of(1, session->scenarios()[0], 1, 0) == no_vote);

    // Bob is not left half-joined: he must join again, and then everything works.
    h.send(
        bid,
        {{"type", "vote"}, {"req", 9}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 4}});
    CHECK(bob->last()["code"] == "not_joined");
    h.send(bid, join_msg(created.code, "Bradford", 10));
    CHECK(bob->of_type("welcome").at(0)["participant"] == 2);
    h.send(
        aid,
        {{"type", "vote"}, {"req", 11}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 4}});
    CHECK(ann->last()["type"] == "ack");
    h.hub->disconnect(bid);
    h.hub->disconnect(aid);
    CHECK(session->vote_of(1, session->scenarios()[0], 1, 0) == 4);
}

TEST_CASE("replies keep the order of the requests") {
    Harness h;
    auto created = make_session(h);
    auto [fid, fac] = h.facilitator(created);
    fac->messages.clear();
    // An ack waits for the disk; the error after it must not overtake it.
    h.hub->on_message(fid, json{{"type", "open_scenario"}, {"req", 1}, {"scenario", "s1"}}.dump());
    h.hub->on_message(fid, json{{"type", "reveal"}, {"req", 2}}.dump());
    h.hub->on_message(fid, json{{"type", "ping"}, {"req", 3}}.dump());
    h.settle();
    std::vector<json> reqs;
    for (const auto& m : fac->messages)
        if (m.contains("req")) reqs.push_back(m["req"]);
    CHECK(reqs == std::vector<json>{1, 2, 3});
}

TEST_CASE("a presenter sees what participants see, needs no key, and cannot act") {
    Harness h;
    auto created = make_session(h);
    auto [fid, fac] = h.facilitator(created);
    auto [pid, screen] = h.connect();
    h.send(pid, {{"type", "present"}, {"protocol", 1}, {"code", created.code}});
    CHECK(screen->of_type("welcome").at(0)["role"] == "presenter");
    CHECK(screen->last()["you"]["role"] == "presenter");
    auto [aid, ann] = h.connect();
    h.send(aid, join_msg(created.code, "Leeds"));
    h.send(fid, {{"type", "open_scenario"}, {"scenario", "s1"}});
    h.send(fid, {{"type", "open_voting"}});
    h.send(aid, {{"type", "vote"}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 2}});
    CHECK(screen->events("voting_opened").size() == 1);
    CHECK(screen->events("vote_cast").empty());
    CHECK(screen->events("participant_joined").empty());
    for (int i = 0; i < 5; ++i) h.hub->tick();
    REQUIRE_FALSE(screen->latest.empty());
    CHECK(screen->latest.back()["tests"][0]["voted"] == 1);
    CHECK_FALSE(screen->latest.back()["tests"][0].contains("results"));
    CHECK(screen->latest.back()["participants"]["connected"] == 1);  // presenters do not count

    h.send(pid, {{"type", "reveal"}, {"req", 4}});
    CHECK(screen->last()["code"] == "not_facilitator");
    h.send(
        pid,
        {{"type", "vote"}, {"req", 5}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 2}});
    CHECK(screen->last()["code"] == "not_participant");
    h.send(fid, {{"type", "close_voting"}});
    h.send(fid, {{"type", "reveal"}});
    CHECK(screen->events("results_revealed").at(0)["results"]["tests"][0]["distribution"] ==
          json::array({0, 1, 0, 0, 0}));
}

TEST_CASE("comments reach other participants on the next tick, several to a frame, in order") {
    Harness h;
    auto created = make_session(h);
    auto [fid, fac] = h.facilitator(created);
    auto [aid, ann] = h.connect();
    auto [bid, bob] = h.connect();
    auto [cid, cat] = h.connect();
    auto [sid, screen] = h.connect();
    h.send(aid, join_msg(created.code, "Leeds"));
    h.send(bid, join_msg(created.code, "Bradford"));
    h.send(cid, join_msg(created.code, "Leeds"));
    h.send(sid, {{"type", "present"}, {"protocol", 1}, {"code", created.code}});
    h.send(fid, {{"type", "open_scenario"}, {"scenario", "s1"}});
    h.hub->tick();
    for (auto* sink : {ann.get(), bob.get(), cat.get(), screen.get()}) sink->messages.clear();
    auto comment = [&](ConnectionId id, int req, const std::string& text) {
        h.send(id, {{"type", "comment"},
                    {"req", req},
                    {"scenario", "s1"},
                    {"kind", "risk"},
                    {"text", text}});
    };
    auto seqs = [](const std::vector<json>& events) {
        std::vector<std::uint64_t> out;
        for (const auto& e : events) out.push_back(e["seq"].get<std::uint64_t>());
        return out;
    };

    comment(aid, 1, "one");
    comment(aid, 2, "two");
    // The author has her own view at once, before each ack; the facilitator has both.
    REQUIRE(ann->messages.size() == 4);
    CHECK(ann->messages[0]["event"] == "comment_added");
    CHECK(ann->messages[0]["comment"]["mine"] == true);
    CHECK(ann->messages[1]["type"] == "ack");
    CHECK(ann->messages[3]["type"] == "ack");
    CHECK(fac->events("comment_added").size() == 2);
    // Nobody else yet.
    CHECK(cat->messages.empty());
    CHECK(screen->messages.empty());

    // Bob's own comment goes out at once, and Ann's two, still held, go to him first.
    comment(bid, 1, "three");
    const auto at_bob = seqs(bob->all_events());
    REQUIRE(at_bob.size() == 3);
    CHECK(std::is_sorted(at_bob.begin(), at_bob.end()));
    CHECK(bob->events("comment_added").back()["comment"]["mine"] == true);
    CHECK(bob->last()["type"] == "ack");

    h.hub->tick();
    // Cat and the screen get all three in one frame, in seq order.
    REQUIRE(cat->messages.size() == 1);
    CHECK(cat->messages[0]["type"] == "events");
    CHECK(seqs(cat->all_events()) == at_bob);
    CHECK_FALSE(cat->messages[0]["events"][0]["comment"].contains("mine"));
    REQUIRE(screen->messages.size() == 1);
    CHECK(seqs(screen->all_events()) == at_bob);
    // Ann gets only Bob's, as a plain event; Bob nothing more.
    REQUIRE(ann->messages.size() == 5);
    CHECK(ann->messages[4]["type"] == "event");
    CHECK(ann->messages[4]["comment"]["text"] == "three");
    CHECK(bob->messages.size() == 3);  // Ann's two in one frame, his own, his ack
    // Nothing is sent twice.
    h.hub->tick();
    CHECK(cat->messages.size() == 1);

    // A phase change does not overtake a held comment.
    comment(aid, 3, "four");
    h.send(fid, {{"type", "open_voting"}});
    const auto at_cat = cat->all_events();
    REQUIRE(at_cat.size() == 5);
    CHECK(at_cat[3]["event"] == "comment_added");
    CHECK(at_cat[4]["event"] == "voting_opened");
    h.hub->tick();
    CHECK(cat->all_events().size() == 5);

    // Someone who joins while comments are held gets them in the snapshot, not again after it.
    comment(bid, 2, "five");
    auto [did, dan] = h.connect();
    h.send(did, join_msg(created.code, "Bradford"));
    REQUIRE(dan->last()["type"] == "snapshot");
    CHECK(dan->last()["comments"].size() == 5);
    h.hub->tick();
    CHECK(dan->all_events().empty());
    CHECK(cat->events("comment_added").size() == 5);
}
