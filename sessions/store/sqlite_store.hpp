#pragma once
// The embedded default store: every session's event log in one SQLite file.
#include <memory>
#include <string>

#include "sessions/event_store.hpp"

namespace quorum {

/// How hard a commit works to survive a power cut (SQLite's `synchronous` in WAL mode).
/// full: a committed event survives power loss. normal: survives a crash of the process, but
/// the last commits may be lost if the machine loses power.
enum class Durability { full, normal };

class SqliteStore final : public EventStore {
public:
    /// Opens (creating if needed) the database and brings its schema up to date.
    explicit SqliteStore(const std::string& path, Durability durability = Durability::full);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    void append(std::span<const StoredEvent> events) override;
    std::vector<std::string> session_codes() override;
    std::vector<Event> load(const std::string& session) override;

    /// Result of PRAGMA integrity_check: "ok" when the file is sound.
    std::string integrity_check();
    /// The schema version the database is at.
    int schema_version();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace quorum
