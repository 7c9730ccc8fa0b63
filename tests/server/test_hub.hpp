#pragma once
// What tests need to drive a hub without sockets: a sink that records what one client is sent,
// and a hub whose committer's callbacks run only when the test settles it. Used by the hub's own
// tests and by the hardening tests' authorisation matrix.
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "server/hub.hpp"

namespace quorum::testing {

/// Records what the hub sends to one client.
struct RecordingSink : ClientSink {
    std::vector<nlohmann::json> messages;
    std::vector<nlohmann::json> latest;  // progress, through the latest-only slot
    std::optional<std::uint16_t> closed_with;
    void deliver(SharedText m) override { messages.push_back(nlohmann::json::parse(*m)); }
    void deliver_reply(SharedText m) override { messages.push_back(nlohmann::json::parse(*m)); }
    void deliver_latest(SharedText m) override { latest.push_back(nlohmann::json::parse(*m)); }
    void close(std::uint16_t code, std::string) override { closed_with = code; }

    const nlohmann::json& last() const { return messages.back(); }
    std::vector<nlohmann::json> of_type(const std::string& type) const {
        std::vector<nlohmann::json> out;
        for (const auto& m : messages)
            if (m["type"] == type) out.push_back(m);
        return out;
    }
    std::size_t count(const std::string& type) const { return of_type(type).size(); }
    std::optional<nlohmann::json> last_of(const std::string& type) const {
        for (auto it = messages.rbegin(); it != messages.rend(); ++it)
            if ((*it)["type"] == type) return *it;
        return std::nullopt;
    }
    /// Every event received, in order, including those that came several to a frame.
    std::vector<nlohmann::json> all_events() const {
        std::vector<nlohmann::json> out;
        for (const auto& m : messages) {
            if (m["type"] == "event") out.push_back(m);
            if (m["type"] == "events")
                for (const auto& e : m["events"]) out.push_back(e);
        }
        return out;
    }
    std::vector<nlohmann::json> events(const std::string& name) const {
        std::vector<nlohmann::json> out;
        for (const auto& e : all_events())
            if (e["event"] == name) out.push_back(e);
        return out;
    }
};

/// A hub on `store` with the test's clock and a seeded random source, whose committer's
/// callbacks wait until settle().
class TestHub {
  public:
    TestHub(EventStore& store, std::uint32_t seed) : rng_(seed) {
        hub_ = std::make_unique<Hub>(
            store, [this] { return now; },
            [this](std::span<std::uint8_t> out) {
                for (auto& b : out) b = static_cast<std::uint8_t>(rng_());
            },
            [this](std::function<void()> f) {
                std::lock_guard lock(mutex_);
                posted_.push_back(std::move(f));
            });
        hub_->load_sessions();
    }
    TestHub(const TestHub&) = delete;
    TestHub& operator=(const TestHub&) = delete;

    Hub& hub() { return *hub_; }
    /// Waits for the store, then runs what the committer posted back (acks, fan-out); a few
    /// rounds, as running them can post more.
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
    /// Flushes, closes every client and settles what that posts.
    void shut_down() {
        hub_->shutdown();
        settle();
    }

    TimeMs now = 1'700'000'000'000;

  private:
    std::mt19937 rng_;
    std::mutex mutex_;
    std::vector<std::function<void()>> posted_;
    std::unique_ptr<Hub> hub_;  // last: its committer posts into the members above
};

}  // namespace quorum::testing
