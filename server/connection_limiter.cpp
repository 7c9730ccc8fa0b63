#include "server/connection_limiter.hpp"

#include <utility>

namespace quorum {

ConnectionLimiter::Slot::Slot(Slot&& other) noexcept
    : owner_(std::move(other.owner_)), key_(std::move(other.key_)) {
    other.owner_.reset();
}

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& other) noexcept {
    if (this != &other) {
        release();
        owner_ = std::move(other.owner_);
        key_ = std::move(other.key_);
        other.owner_.reset();
    }
    return *this;
}

void ConnectionLimiter::Slot::release() {
    if (!owner_) return;
    auto owner = std::move(owner_);
    owner_.reset();
    owner->release(key_);
}

std::optional<ConnectionLimiter::Slot> ConnectionLimiter::admit(std::string_view address_key,
                                                                Refusal* why) {
    if (max_total_ > 0 && open_ >= max_total_) {
        if (why) *why = Refusal::total;
        return std::nullopt;
    }
    std::string key(address_key);
    if (!key.empty()) {
        auto& count = per_address_[key];
        if (max_per_address_ > 0 && count >= max_per_address_) {
            if (why) *why = Refusal::per_address;
            if (count == 0) per_address_.erase(key);
            return std::nullopt;
        }
        ++count;
    }
    ++open_;
    return Slot(shared_from_this(), std::move(key));
}

std::size_t ConnectionLimiter::open_from(const std::string& address_key) const {
    auto it = per_address_.find(address_key);
    return it == per_address_.end() ? 0 : it->second;
}

void ConnectionLimiter::release(const std::string& key) {
    if (open_ > 0) --open_;
    if (key.empty()) return;
    auto it = per_address_.find(key);
    if (it == per_address_.end()) return;
    if (--it->second == 0) per_address_.erase(it);
}

}  // namespace quorum
