#include "sessions/store/sqlite_store.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <future>
#include <SQLiteCpp/Database.h>
#include <unistd.h>

#include "fixtures.hpp"
#include "sessions/store/group_committer.hpp"

using namespace quorum;

namespace {

struct TempDb {
    std::filesystem::path path;
    TempDb() {
        static int counter = 0;
        path = std::filesystem::temp_directory_path() /
               ("quorum-store-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) +
                ".db");
        std::filesystem::remove(path);
    }
    ~TempDb() {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path.string() + suffix);
    }
};

std::vector<StoredEvent> stored(const std::string& code, const std::vector<Event>& events) {
    std::vector<StoredEvent> out;
    for (const auto& e : events) out.push_back({code, e});
    return out;
}

/// A session with some history, and the events that made it.
std::pair<Session, std::vector<Event>> session_with_history() {
    auto config = testing::three_area_config();
    auto s = std::get<Session>(Session::create(config, 1000));
    std::vector<Event> log{Event{1, 1000, ev::SessionCreated{s.config()}}};
    auto run = [&](const Actor& a, const Command& c) {
        for (auto& e : s.apply(a, c, 2000).events) log.push_back(e);
    };
    run(Actor::anonymous(), cmd::Join{"Ann", "Leeds", Sector::public_sector, Role::participant, "h1"});
    run(Actor::facilitator(), cmd::OpenScenario{"s1"});
    run(Actor::facilitator(), cmd::OpenVoting{});
    run(Actor::of_participant(1), cmd::CastVote{"s1", "purposeful", 4});
    run(Actor::of_participant(1), cmd::AddComment{"s1", "", CommentKind::risk, "It's 'risky' \"", ""});
    return {std::move(s), log};
}

}  // namespace

TEST_CASE("the SQLite store keeps event logs across reopening") {
    TempDb db;
    auto [session, log] = session_with_history();
    {
        SqliteStore store(db.path.string());
        CHECK(store.schema_version() == 1);
        store.append(stored("ABC234", log));
        CHECK(store.load("ABC234") == log);
        CHECK(store.load("NOPE22").empty());
    }
    SqliteStore reopened(db.path.string());
    CHECK(reopened.session_codes() == std::vector<std::string>{"ABC234"});
    const auto loaded = reopened.load("ABC234");
    CHECK(loaded == log);
    auto rebuilt = Session::replay(loaded);
    CHECK(rebuilt.last_seq() == session.last_seq());
    CHECK(rebuilt.phase() == Phase::voting_open);
    CHECK(rebuilt.comments().at(0).text == "It's 'risky' \"");
    CHECK(reopened.integrity_check() == "ok");
}

TEST_CASE("a failed append stores nothing of its batch") {
    TempDb db;
    SqliteStore store(db.path.string());
    auto [session, log] = session_with_history();
    store.append(stored("ABC234", {log[0]}));
    // The second batch repeats seq 1, so its transaction fails as a whole.
    auto batch = stored("ABC234", {log[1], log[0]});
    CHECK_THROWS(store.append(batch));
    CHECK(store.load("ABC234").size() == 1);
}

TEST_CASE("the store refuses a database from a newer version") {
    TempDb db;
    { SqliteStore store(db.path.string()); }
    {
        SQLite::Database raw(db.path.string(), SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA user_version = 99");
    }
    CHECK_THROWS_WITH(SqliteStore(db.path.string()), Catch::Contains("newer version"));
}

TEST_CASE("the group committer commits in order and reports each ticket") {
    TempDb db;
    SqliteStore store(db.path.string());
    auto [session, log] = session_with_history();
    std::mutex m;
    std::vector<CommitReport> reports;
    {
        GroupCommitter committer(store, [&](const CommitReport& r) {
            std::lock_guard lock(m);
            reports.push_back(r);
        });
        CommitTicket last = 0;
        for (const auto& e : log) last = committer.submit(stored("ABC234", {e})).value();
        committer.flush();
        CHECK(last == log.size());
        CHECK(committer.stats().events == log.size());
    }
    CHECK(store.load("ABC234") == log);
    // Reports cover every ticket exactly once, in order.
    CommitTicket expected = 1;
    for (const auto& r : reports) {
        CHECK_FALSE(r.error);
        CHECK(r.first == expected);
        expected = r.last + 1;
    }
    CHECK(expected == log.size() + 1);
}

TEST_CASE("the group committer reports a failing store and refuses beyond its bound") {
    struct FailingStore : EventStore {
        std::promise<void> release;
        std::shared_future<void> gate = release.get_future().share();
        void append(std::span<const StoredEvent>) override {
            gate.wait();
            throw std::runtime_error("disk full");
        }
        std::vector<std::string> session_codes() override { return {}; }
        std::vector<Event> load(const std::string&) override { return {}; }
    } store;
    std::mutex m;
    std::vector<CommitReport> reports;
    GroupCommitter committer(
        store,
        [&](const CommitReport& r) {
            std::lock_guard lock(m);
            reports.push_back(r);
        },
        2);
    Event e{1, 0, ev::SessionEnded{}};
    REQUIRE(committer.submit({{"A", e}}));
    // The writer may already hold the first; either way at most two may wait.
    int accepted = 0;
    for (int i = 0; i < 4; ++i)
        if (committer.submit({{"A", e}})) ++accepted;
    CHECK(accepted <= 3);
    CHECK(accepted >= 1);
    store.release.set_value();
    committer.flush();
    std::lock_guard lock(m);
    REQUIRE_FALSE(reports.empty());
    for (const auto& r : reports) CHECK(r.error == std::optional<std::string>("disk full"));
}
