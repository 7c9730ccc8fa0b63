#pragma once
// A hub on a temporary SQLite file, driven without sockets: recording client sinks, commits
// settled on demand, and a dump of the database for "nothing changed" checks.
#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "server/hub.hpp"
#include "sessions/store/sqlite_store.hpp"

namespace quorum::hardening {

using nlohmann::json;

/// Records what the hub sends to one client.
struct RecordingSink : ClientSink {
    std::vector<json> messages;
    std::vector<json> latest;
    std::optional<std::uint16_t> closed_with;
    void deliver(SharedText m) override { messages.push_back(json::parse(*m)); }
    void deliver_reply(SharedText m) override { messages.push_back(json::parse(*m)); }
    void deliver_latest(SharedText m) override { latest.push_back(json::parse(*m)); }
    void close(std::uint16_t code, std::string) override { closed_with = code; }
    const json& last() const { return messages.back(); }
    std::size_t count(const std::string& type) const {
        std::size_t n = 0;
        for (const auto& m : messages) n += m["type"] == type;
        return n;
    }
};

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
        hub_ = std::make_unique<Hub>(
            *store_, [this] { return now_; },
            [this](std::span<std::uint8_t> out) {
                for (auto& b : out) b = static_cast<std::uint8_t>(rng_());
            },
            [this](std::function<void()> f) {
                std::lock_guard lock(mutex_);
                posted_.push_back(std::move(f));
            });
        hub_->load_sessions();
    }
    ~HubFixture() {
        hub_->shutdown();
        settle();
        hub_.reset();
        store_.reset();
        remove_files();
    }
    HubFixture(const HubFixture&) = delete;
    HubFixture& operator=(const HubFixture&) = delete;

    Hub& hub() { return *hub_; }
    const std::filesystem::path& path() const { return path_; }

    /// Waits for the store, then runs what the committer posted back (acks, fan-out).
    void settle() {
        for (int i = 0; i < 3; ++i) {
            hub_->flush_store();
            std::vector<std::function<void()>> run;
            {
                std::lock_guard lock(mutex_);
                run.swap(posted_);
            }
            for (auto& f : run) f();
        }
    }
    Client connect() {
        Client c{0, std::make_shared<RecordingSink>()};
        c.id = hub_->connect(c.sink);
        return c;
    }
    /// Sends and returns the reply carrying the message's req.
    json send(const Client& c, json message) {
        message["req"] = next_req_;
        const auto req = next_req_++;
        hub_->on_message(c.id, message.dump());
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

    TimeMs now_ = 1'700'000'000'000;

  private:
    void remove_files() {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(path_.string() + suffix);
    }

    std::filesystem::path path_;
    std::unique_ptr<SqliteStore> store_;
    std::mutex mutex_;
    std::vector<std::function<void()>> posted_;
    std::unique_ptr<Hub> hub_;
    std::mt19937 rng_{7};
    int next_req_ = 1000;
};

}  // namespace quorum::hardening
