// Crash safety, the hard way: participants vote and comment as fast as the server acknowledges,
// each action with its own client_id, while the server is killed with SIGKILL again and again
// and restarted on the same database. After every kill the database must hold every action the
// server acknowledged; after the restarts, clients resend what was never acknowledged, and in the
// end every action is stored exactly once and the file passes SQLite's integrity check.
#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/wait.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "../integration/server_process.hpp"
#include "../integration/ws_client.hpp"

using namespace quorum::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr int participants = 6;
constexpr int cycles = 5;
constexpr int window = 4;  // requests in flight per participant
const std::vector<std::string> tests{"purposeful", "proportionate", "responsible"};

/// What every participant thread shares with the test.
struct Shared {
    std::atomic<unsigned short> port{0};
    std::atomic<int> epoch{0};          // bumped at each restart
    std::atomic<bool> draining{false};  // stop making new actions; finish the unacknowledged
    std::mutex mutex;
    std::set<std::string> acked;  // client ids the server acknowledged
    std::set<std::string> sent;   // client ids ever sent
    std::vector<std::string> problems;
    std::atomic<int> resent{0};
    std::atomic<int> duplicates{0};

    void problem(std::string p) {
        std::lock_guard lock(mutex);
        if (problems.size() < 20) problems.push_back(std::move(p));
    }
};

struct Action {
    std::string client_id;
    json message;
};

/// One participant: sends votes and comments with a window of requests in flight, reconnects
/// (resume) whenever the server goes away and resends, in order, whatever was not acknowledged.
void participant(Shared& shared, int index, const std::string& code, const std::string& token) {
    std::deque<Action> unacked;
    int next_vote = 0, next_comment = 0, req = 1;
    std::vector<int> last_value(tests.size(), 0);
    auto id_of = [index](char kind, int n) {
        // Built piecewise: GCC 12 warns falsely (-Wrestrict) about "literal" + std::string.
        std::string id = "p";
        id += std::to_string(index);
        id += '-';
        id += kind;
        id += std::to_string(n);
        return id;
    };
    auto make_action = [&]() -> Action {
        // Every vote differs from the previous one on its test, so each is a change of mind and
        // is recorded; comments stop well before the limit of 200.
        if (next_comment < 120 && (next_vote + next_comment) % 3 == 2) {
            const auto id = id_of('c', next_comment++);
            return {id,
                    {{"type", "comment"},
                     {"scenario", "s1"},
                     {"kind", "risk"},
                     {"text", id},
                     {"client_id", id}}};
        }
        const auto t = static_cast<std::size_t>(next_vote % 3);
        last_value[t] = last_value[t] % 5 + 1;
        const auto id = id_of('v', next_vote++);
        return {id,
                {{"type", "vote"},
                 {"scenario", "s1"},
                 {"test", tests[t]},
                 {"value", last_value[t]},
                 {"client_id", id}}};
    };

    while (!(shared.draining && unacked.empty())) {
        const int epoch = shared.epoch;
        std::unique_ptr<WsClient> ws;
        try {
            ws = std::make_unique<WsClient>(shared.port.load(), 5s);
            ws->send({{"type", "resume"},
                      {"protocol", 1},
                      {"code", code},
                      {"token", token},
                      {"req", 0}});
            for (;;) {
                auto m = ws->receive();
                if (m.value("req", json()) == 0) {
                    if (m["type"] != "welcome") shared.problem("resume answered " + m.dump());
                    break;
                }
            }
        } catch (const std::exception&) {
            // The server is down or restarting: wait for the next one.
            ws.reset();
            for (int i = 0; i < 100 && shared.epoch == epoch && !shared.draining; ++i)
                std::this_thread::sleep_for(20ms);
            std::this_thread::sleep_for(20ms);
            continue;
        }
        // Resend what was never acknowledged, oldest first, then carry on.
        std::map<int, std::size_t> in_flight;  // req -> position in unacked
        std::size_t next_to_send = 0;
        shared.resent += static_cast<int>(unacked.size());
        try {
            for (;;) {
                while (in_flight.size() < window) {
                    if (next_to_send == unacked.size()) {
                        if (shared.draining) break;
                        unacked.push_back(make_action());
                        std::lock_guard lock(shared.mutex);
                        shared.sent.insert(unacked.back().client_id);
                    }
                    auto message = unacked[next_to_send].message;
                    message["req"] = req;
                    in_flight[req++] = next_to_send++;
                    ws->send(message);
                }
                if (in_flight.empty()) break;  // draining and everything acknowledged
                auto m = ws->receive();
                if (!m.contains("req") || !m["req"].is_number_integer()) continue;
                auto it = in_flight.find(m["req"].get<int>());
                if (it == in_flight.end()) continue;
                const auto id = unacked[it->second].client_id;
                if (m["type"] != "ack") {
                    shared.problem(id + " answered " + m.dump());
                    shared.draining = true;
                    return;
                }
                if (m.value("duplicate", false)) ++shared.duplicates;
                {
                    std::lock_guard lock(shared.mutex);
                    shared.acked.insert(id);
                }
                // Acks of one connection come in order, so the acknowledged one is the oldest.
                if (it->second != 0) shared.problem("ack for " + id + " overtook an older request");
                in_flight.erase(it);
                unacked.pop_front();
                for (auto& [r, pos] : in_flight) --pos;
                --next_to_send;
            }
        } catch (const std::exception&) {
            // Connection lost mid-way (the server was killed): what is in flight stays unacked.
        }
    }
}

struct Stored {
    std::multiset<std::string> client_ids;
    std::string integrity;
    bool contiguous = true;
    std::size_t events = 0;
};

Stored read_database(const std::string& db) {
    // Read-write, as the server would open it: SQLite recovers the WAL of a killed writer.
    SQLite::Database database(db, SQLite::OPEN_READWRITE);
    Stored s;
    s.integrity = database.execAndGet("PRAGMA integrity_check").getString();
    SQLite::Statement q(database,
                        "SELECT session, seq, type, body FROM events ORDER BY session, seq");
    std::string session;
    long long expected = 1;
    while (q.executeStep()) {
        ++s.events;
        if (q.getColumn(0).getString() != session) {
            session = q.getColumn(0).getString();
            expected = 1;
        }
        if (q.getColumn(1).getInt64() != expected++) s.contiguous = false;
        const auto body = json::parse(q.getColumn(3).getString());
        if (body.contains("client_id")) s.client_ids.insert(body["client_id"].get<std::string>());
    }
    return s;
}

}  // namespace

TEST_CASE("SIGKILL while people vote and comment: nothing acknowledged is lost or doubled") {
    const TempDir temp_dir("quorum-crash");
    const auto& dir = temp_dir.path();
    const auto db = dir + "/crash.db";
    Shared shared;
    std::string code;
    std::vector<std::string> tokens;
    // Rate limiting would only slow the clients down; durability alternates between the modes.
    auto start = [&](int cycle) {
        return std::make_unique<ServerProcess>(
            quorum_binary(), db,
            std::vector<std::string>{"--rate-limit", "0", "--durability",
                                     cycle % 2 ? "normal" : "full"});
    };
    auto server = start(0);
    {
        const auto port = server->port();
        const auto created = create_session(port, "Crash");
        code = created.code;
        const std::string fac_token = created.token;
        WsClient fac(port);
        REQUIRE(fac.request({{"type", "facilitate"},
                             {"protocol", 1},
                             {"code", code},
                             {"token", fac_token}})["type"] == "welcome");
        REQUIRE(fac.request({{"type", "open_scenario"}, {"scenario", "s1"}})["type"] == "ack");
        REQUIRE(fac.request({{"type", "open_voting"}})["type"] == "ack");
        for (int i = 0; i < participants; ++i) {
            WsClient p(port);
            auto w = p.request({{"type", "join"},
                                {"protocol", 1},
                                {"code", code},
                                {"area", i % 2 ? "Leeds" : "Bradford"}});
            REQUIRE(w["type"] == "welcome");
            tokens.push_back(w["token"]);
        }
        shared.port = port;
    }

    std::vector<std::thread> threads;
    for (int i = 0; i < participants; ++i)
        threads.emplace_back(participant, std::ref(shared), i, code,
                             tokens[static_cast<std::size_t>(i)]);

    std::mt19937 rng(2024);
    std::size_t previous_acked = 0;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300 + rng() % 700));
        CHECK(server->stop(SIGKILL) == 128 + SIGKILL);
        std::set<std::string> acked;
        {
            std::lock_guard lock(shared.mutex);
            acked = shared.acked;
        }
        const auto stored = read_database(db);
        INFO("after kill " << cycle + 1 << ": " << acked.size() << " acknowledged, "
                           << stored.events << " events stored");
        CHECK(stored.integrity == "ok");
        CHECK(stored.contiguous);
        std::vector<std::string> lost;
        for (const auto& id : acked)
            if (!stored.client_ids.count(id)) lost.push_back(id);
        CHECK(lost.empty());
        CHECK(stored.client_ids.size() ==
              std::set<std::string>(stored.client_ids.begin(), stored.client_ids.end()).size());
        CHECK(acked.size() > previous_acked);  // the clients were busy when it died
        previous_acked = acked.size();
        server = start(cycle + 1);
        shared.port = server->port();
        ++shared.epoch;
    }

    // Last run: clients resend whatever is unacknowledged, then stop.
    shared.draining = true;
    for (auto& t : threads) t.join();
    CHECK(server->stop(SIGTERM) == 0);
    {
        std::lock_guard lock(shared.mutex);
        for (const auto& p : shared.problems) FAIL_CHECK(p);
    }
    const auto stored = read_database(db);
    CHECK(stored.integrity == "ok");
    CHECK(stored.contiguous);
    // Every action sent was acknowledged in the end, and is stored exactly once.
    CHECK(shared.acked == shared.sent);
    std::set<std::string> distinct(stored.client_ids.begin(), stored.client_ids.end());
    CHECK(distinct == shared.sent);
    CHECK(stored.client_ids.size() == distinct.size());
    CHECK(shared.resent > 0);  // some actions were in flight when the server died
    std::cout << shared.sent.size() << " actions, " << stored.events << " events stored, "
              << shared.resent << " resent after a kill, " << shared.duplicates
              << " of them acknowledged as duplicates (already stored)\n";
    CHECK(shared.sent.size() > 100);
    // And the server's own check agrees.
    const int status = std::system((quorum_binary() + " check --db " + db + " >/dev/null").c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}
