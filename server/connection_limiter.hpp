#pragma once
// Caps on open connections, in total and per client address, so one client (or one botnet of a
// few hosts) cannot take every file descriptor and leave the participants of a workshop outside.
// A connection holds a Slot for as long as it is open, whether HTTP or WebSocket. Used on one
// thread only. Beast-free: addresses arrive as text keys.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace quorum {

class ConnectionLimiter : public std::enable_shared_from_this<ConnectionLimiter> {
  public:
    /// 0 means no limit.
    ConnectionLimiter(std::size_t max_total, std::size_t max_per_address)
        : max_total_(max_total), max_per_address_(max_per_address) {}

    /// Releases its place when destroyed. Move-only.
    class Slot {
      public:
        Slot() = default;
        Slot(Slot&& other) noexcept;
        Slot& operator=(Slot&& other) noexcept;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot() { release(); }
        void release();
        explicit operator bool() const { return owner_ != nullptr; }

      private:
        friend class ConnectionLimiter;
        Slot(std::shared_ptr<ConnectionLimiter> owner, std::string key)
            : owner_(std::move(owner)), key_(std::move(key)) {}
        std::shared_ptr<ConnectionLimiter> owner_;
        std::string key_;  // empty: not counted per address
    };

    enum class Refusal { total, per_address };

    /// A place for a new connection from `address_key` (empty: not limited per address, e.g.
    /// loopback, where every client is a local process or the reverse proxy in front of us).
    std::optional<Slot> admit(std::string_view address_key, Refusal* why = nullptr);

    std::size_t open() const { return open_; }
    std::size_t open_from(const std::string& address_key) const;
    std::size_t max_total() const { return max_total_; }
    std::size_t max_per_address() const { return max_per_address_; }

  private:
    void release(const std::string& key);

    std::size_t max_total_;
    std::size_t max_per_address_;
    std::size_t open_ = 0;
    std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace quorum
