#pragma once
// Counters for GET /metrics, in the Prometheus text format. Updated on the hub's thread and read
// on the same thread, so plain integers suffice.
#include <cstdint>
#include <string>

namespace quorum {

struct Metrics {
    std::uint64_t connections_opened = 0;
    std::uint64_t connections_closed = 0;
    std::uint64_t messages_received = 0;
    std::uint64_t messages_rejected = 0;  // decoding or rule errors
    std::uint64_t votes = 0;
    std::uint64_t comments = 0;
    std::uint64_t frames_sent = 0;
    std::uint64_t resyncs = 0;
};

}  // namespace quorum
