#include "sessions/store/group_committer.hpp"

#include <chrono>

namespace quorum {

namespace {
// At most this much latency is added to a commit, and only when fewer events are waiting.
constexpr auto kLinger = std::chrono::microseconds(300);
constexpr std::size_t kLingerBelow = 64;
}  // namespace

GroupCommitter::GroupCommitter(EventStore& store, OnCommitted on_committed,
                               std::size_t max_pending)
    : store_(store),
      on_committed_(std::move(on_committed)),
      max_pending_(max_pending),
      writer_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_writer_.notify_one();
    writer_.join();
}

std::optional<CommitTicket> GroupCommitter::submit(std::vector<StoredEvent> events) {
    std::unique_lock lock(mutex_);
    if (queued_events_ + events.size() > max_pending_ && queued_events_ > 0) return std::nullopt;
    queued_events_ += events.size();
    queue_.push_back(std::move(events));
    const auto ticket = next_ticket_++;
    lock.unlock();
    wake_writer_.notify_one();
    return ticket;
}

void GroupCommitter::flush() {
    std::unique_lock lock(mutex_);
    const auto target = next_ticket_ - 1;
    drained_.wait(lock, [&] { return done_ticket_ >= target; });
}

CommitStats GroupCommitter::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void GroupCommitter::clear_failure() {
    std::lock_guard lock(mutex_);
    failed_ = false;
}

std::size_t GroupCommitter::pending() const {
    std::lock_guard lock(mutex_);
    return queued_events_;
}

void GroupCommitter::run() {
    std::vector<StoredEvent> batch;
    for (;;) {
        std::deque<std::vector<StoredEvent>> taken;
        CommitTicket first = 0, last = 0;
        bool after_failure = false;
        {
            std::unique_lock lock(mutex_);
            wake_writer_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left to commit
            // A small batch: let the I/O thread finish the messages it is handling before
            // committing. Woken by the first submission, the writer would otherwise preempt the
            // I/O thread (on one core) and commit a handful of events per fsync.
            if (queued_events_ < kLingerBelow && !stopping_) {
                lock.unlock();
                std::this_thread::sleep_for(kLinger);
                lock.lock();
            }
            taken.swap(queue_);
            last = next_ticket_ - 1;
            first = last - taken.size() + 1;
            queued_events_ = 0;
            after_failure = failed_;
        }
        batch.clear();
        for (auto& events : taken)
            for (auto& e : events) batch.push_back(std::move(e));
        CommitReport report{first, last, std::nullopt};
        const auto started = std::chrono::steady_clock::now();
        if (after_failure) {
            report.error = "not saved, because an earlier save failed";
        } else {
            try {
                store_.append(batch);
            } catch (const std::exception& e) {
                report.error = e.what();
            }
        }
        const auto busy = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
        {
            std::lock_guard lock(mutex_);
            ++stats_.transactions;
            if (report.error) {
                ++stats_.failures;
                failed_ = true;
            } else
                stats_.events += batch.size();
            stats_.busy_microseconds += static_cast<std::uint64_t>(busy);
        }
        on_committed_(report);
        {
            std::lock_guard lock(mutex_);
            done_ticket_ = last;
        }
        drained_.notify_all();
    }
}

}  // namespace quorum
