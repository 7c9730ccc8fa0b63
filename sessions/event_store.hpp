#pragma once
// Persistence of event logs. The domain only needs this interface: SQLite is the embedded default,
// and a store for deployments across several machines (e.g. PostgreSQL) can sit beside it.
#include <span>
#include <string>
#include <vector>

#include "sessions/events.hpp"

namespace quorum {

struct StoredEvent {
    std::string session;  // join code
    Event event;
};

class EventStore {
public:
    virtual ~EventStore() = default;
    /// Appends events, possibly of several sessions, in one durable transaction: when this returns
    /// they survive a crash; when it throws none of them were stored.
    virtual void append(std::span<const StoredEvent> events) = 0;
    /// Join codes of every stored session, oldest first.
    virtual std::vector<std::string> session_codes() = 0;
    /// One session's log in seq order; empty when there is no such session.
    virtual std::vector<Event> load(const std::string& session) = 0;
};

}  // namespace quorum
