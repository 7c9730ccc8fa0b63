#pragma once
// Group commit: one writer thread drains everything queued since its last commit into a single
// transaction, then reports which submissions are durable. The domain thread never waits on disk,
// and a burst of votes costs one fsync rather than one each.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sessions/event_store.hpp"

namespace quorum {

using CommitTicket = std::uint64_t;

/// Told, on the writer thread, that every submission up to `last` has been committed (or, when
/// `error` is set, that those from `first` to `last` were not).
struct CommitReport {
    CommitTicket first = 0;
    CommitTicket last = 0;
    std::optional<std::string> error;
};

struct CommitStats {
    std::uint64_t transactions = 0;
    std::uint64_t events = 0;
    std::uint64_t failures = 0;
    std::uint64_t busy_microseconds = 0;  // time spent inside store.append
};

class GroupCommitter {
public:
    using OnCommitted = std::function<void(const CommitReport&)>;

    /// max_pending bounds the events waiting for the writer, so memory stays bounded when the
    /// disk cannot keep up; submit() refuses beyond it.
    GroupCommitter(EventStore& store, OnCommitted on_committed, std::size_t max_pending = 100000);
    /// Commits whatever is queued, then stops the writer.
    ~GroupCommitter();
    GroupCommitter(const GroupCommitter&) = delete;
    GroupCommitter& operator=(const GroupCommitter&) = delete;

    /// Queues events for the next transaction; nullopt when the queue is full.
    std::optional<CommitTicket> submit(std::vector<StoredEvent> events);
    /// Blocks until everything submitted so far is committed (or failed).
    void flush();
    CommitStats stats() const;
    std::size_t pending() const;
    /// After a failed commit every later submission fails too, without touching the store, so a
    /// log never gets a gap. The owner calls this once it has reloaded what it holds in memory.
    void clear_failure();

private:
    void run();

    EventStore& store_;
    OnCommitted on_committed_;
    const std::size_t max_pending_;

    mutable std::mutex mutex_;
    std::condition_variable wake_writer_;
    std::condition_variable drained_;
    std::deque<std::vector<StoredEvent>> queue_;
    std::size_t queued_events_ = 0;
    CommitTicket next_ticket_ = 1;
    CommitTicket done_ticket_ = 0;
    bool stopping_ = false;
    bool failed_ = false;
    CommitStats stats_;
    std::thread writer_;  // last: starts after everything it uses exists
};

}  // namespace quorum
