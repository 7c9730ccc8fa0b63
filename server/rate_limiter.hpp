#pragma once
// A token bucket: `burst` tokens at most, refilled at `rate` per second; each message takes one.
// Short bursts (a phone resending its unacknowledged votes after a reconnection, a facilitator
// importing scenarios) pass, a sustained flood does not. Time is passed in, so tests need no
// clock. Beast-free.
#include <algorithm>
#include <chrono>

namespace quorum {

class TokenBucket {
  public:
    using Clock = std::chrono::steady_clock;

    /// A rate of 0 (or less) means no limit. The bucket starts full.
    TokenBucket(double rate_per_second, double burst, Clock::time_point now = Clock::now())
        : rate_(rate_per_second), burst_(std::max(burst, 1.0)), tokens_(burst_), last_(now) {}

    /// Takes one token if there is one.
    bool take(Clock::time_point now) {
        if (rate_ <= 0) return true;
        refill(now);
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

    /// Tokens available now (for tests and logs).
    double available(Clock::time_point now) {
        refill(now);
        return tokens_;
    }

    bool unlimited() const { return rate_ <= 0; }

  private:
    void refill(Clock::time_point now) {
        if (now <= last_) return;
        const std::chrono::duration<double> elapsed = now - last_;
        tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
        last_ = now;
    }

    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

}  // namespace quorum
