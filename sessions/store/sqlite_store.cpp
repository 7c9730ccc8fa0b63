#include "sessions/store/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <nlohmann/json.hpp>

#include "sessions/event_json.hpp"

namespace quorum {
namespace {

// Each entry brings the schema from version i to i + 1. Never edit a shipped entry: add one.
constexpr const char* migrations[] = {
    R"sql(
    CREATE TABLE sessions (
        code        TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE events (
        session  TEXT NOT NULL REFERENCES sessions(code),
        seq      INTEGER NOT NULL,
        at       INTEGER NOT NULL,
        type     TEXT NOT NULL,
        body     TEXT NOT NULL,
        PRIMARY KEY (session, seq)
    ) WITHOUT ROWID;
    )sql",
};

}  // namespace

struct SqliteStore::Impl {
    SQLite::Database db;
    SQLite::Statement insert_session;
    SQLite::Statement insert_event;

    Impl(const std::string& path, Durability durability)
        : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE),
          insert_session(prepare_schema_then(
              "INSERT INTO sessions (code, title, created_at) VALUES (?, ?, ?)", durability)),
          insert_event(
              db, "INSERT INTO events (session, seq, at, type, body) VALUES (?, ?, ?, ?, ?)") {}

    // Statements can only be prepared once the tables exist, so the schema is settled first.
    SQLite::Statement prepare_schema_then(const char* sql, Durability durability) {
        db.exec("PRAGMA journal_mode = WAL");
        db.exec(durability == Durability::full ? "PRAGMA synchronous = FULL"
                                               : "PRAGMA synchronous = NORMAL");
        db.exec("PRAGMA foreign_keys = ON");
        db.setBusyTimeout(5000);
        migrate();
        return SQLite::Statement(db, sql);
    }

    void migrate() {
        const int current = db.execAndGet("PRAGMA user_version").getInt();
        const int latest = static_cast<int>(std::size(migrations));
        if (current > latest)
            throw std::runtime_error(
                "the database was written by a newer version of Quorum (schema " +
                std::to_string(current) + ")");
        for (int version = current; version < latest; ++version) {
            SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
            db.exec(migrations[version]);
            db.exec("PRAGMA user_version = " + std::to_string(version + 1));
            tx.commit();
        }
    }
};

SqliteStore::SqliteStore(const std::string& path, Durability durability)
    : impl_(std::make_unique<Impl>(path, durability)) {}

SqliteStore::~SqliteStore() = default;

void SqliteStore::append(std::span<const StoredEvent> events) {
    if (events.empty()) return;
    auto& db = impl_->db;
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& stored : events) {
        const auto& event = stored.event;
        if (const auto* created = std::get_if<ev::SessionCreated>(&event.payload)) {
            auto& s = impl_->insert_session;
            s.bind(1, stored.session);
            s.bind(2, created->config.title);
            s.bind(3, static_cast<std::int64_t>(event.at));
            s.exec();
            s.reset();
        }
        auto& s = impl_->insert_event;
        s.bind(1, stored.session);
        s.bind(2, static_cast<std::int64_t>(event.seq));
        s.bind(3, static_cast<std::int64_t>(event.at));
        s.bind(4, std::string(event_type(event.payload)));
        s.bind(5, stored_body(event.payload));
        s.exec();
        s.reset();
    }
    tx.commit();
}

std::vector<std::string> SqliteStore::session_codes() {
    SQLite::Statement q(impl_->db, "SELECT code FROM sessions ORDER BY created_at, rowid");
    std::vector<std::string> codes;
    while (q.executeStep()) codes.push_back(q.getColumn(0).getString());
    return codes;
}

std::vector<Event> SqliteStore::load(const std::string& session) {
    SQLite::Statement q(impl_->db,
                        "SELECT seq, at, type, body FROM events WHERE session = ? ORDER BY seq");
    q.bind(1, session);
    std::vector<Event> log;
    while (q.executeStep()) {
        auto body = nlohmann::json::parse(q.getColumn(3).getString());
        body["type"] = q.getColumn(2).getString();
        log.push_back(Event{static_cast<Seq>(q.getColumn(0).getInt64()), q.getColumn(1).getInt64(),
                            payload_from_json(body)});
    }
    return log;
}

std::string SqliteStore::integrity_check() {
    return impl_->db.execAndGet("PRAGMA integrity_check").getString();
}

int SqliteStore::schema_version() {
    return impl_->db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace quorum
