#pragma once
// A hub on a temporary SQLite file, driven without sockets: recording client sinks, commits
// settled on demand, and a dump of the database for "nothing changed" checks.
#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "../server/test_hub.hpp"
#include "server/hub.hpp"
#include "sessions/store/sqlite_store.hpp"

namespace quorum::hardening {

using nlohmann::json;

using testing::RecordingSink;

struct Client {
    ConnectionId id = 0;
    std::shared_ptr<RecordingSink> sink;
};

class HubFixture {
  public:
    HubFixture() {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("quorum-hardening-" + std::to_string(::getpid()) + "-" +
                 std::to_string(++counter) + ".db");
        remove_files();
        // Durability is not under test here; NORMAL spares the disk a flush per command.
        store_ = std::make_unique<SqliteStore>(path_.string(), Durability::normal);
        hub_ = std::make_unique<testing::TestHub>(*store_, 7);
    }
    ~HubFixture() {
        hub_->shut_down();
        hub_.reset();
        store_.reset();
        remove_files();
    }
    HubFixture(const HubFixture&) = delete;
    HubFixture& operator=(const HubFixture&) = delete;

    Hub& hub() { return hub_->hub(); }
    const std::filesystem::path& path() const { return path_; }

    void settle() { hub_->settle(); }
    Client connect() {
        Client c{0, std::make_shared<RecordingSink>()};
        c.id = hub().connect(c.sink);
        return c;
    }
    /// Sends and returns the reply carrying the message's req.
    json send(const Client& c, json message) {
        message["req"] = next_req_;
        const auto req = next_req_++;
        hub().on_message(c.id, message.dump());
        settle();
        for (auto it = c.sink->messages.rbegin(); it != c.sink->messages.rend(); ++it)
            if (it->contains("req") && (*it)["req"] == req) return *it;
        return json{{"type", "no reply"}};
    }

    /// Every row of the database, in a stable order: what "nothing changed" is checked against.
    std::string dump(const std::string& only_session = {}) {
        settle();
        SQLite::Database db(path_.string(), SQLite::OPEN_READONLY);
        std::string out;
        SQLite::Statement sessions(db,
                                   "SELECT code, title, created_at FROM sessions ORDER BY code");
        while (sessions.executeStep())
            if (only_session.empty() || sessions.getColumn(0).getString() == only_session)
                out += "session " + sessions.getColumn(0).getString() + " " +
                       sessions.getColumn(1).getString() + "\n";
        SQLite::Statement events(
            db, "SELECT session, seq, at, type, body FROM events ORDER BY session, seq");
        while (events.executeStep()) {
            if (!only_session.empty() && events.getColumn(0).getString() != only_session) continue;
            for (int i = 0; i < 5; ++i) out += events.getColumn(i).getString() + "|";
            out += "\n";
        }
        return out;
    }

  private:
    void remove_files() {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path_.string() + suffix);
    }

    std::filesystem::path path_;
    std::unique_ptr<SqliteStore> store_;
    std::unique_ptr<testing::TestHub> hub_;
    int next_req_ = 1000;
};

}  // namespace quorum::hardening
