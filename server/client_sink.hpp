#pragma once
// How the hub talks to one connected client without knowing about sockets. The WebSocket session
// implements it; tests implement it with a vector.
#include <cstdint>
#include <memory>
#include <string>

namespace quorum {

using ConnectionId = std::uint64_t;
using SharedText = std::shared_ptr<const std::string>;

class ClientSink {
public:
    virtual ~ClientSink() = default;
    /// Queues a message, in order. Serialised once, shared by every recipient. If the client's
    /// bounded queue is full the sink drops its backlog and asks the hub for a fresh snapshot
    /// (see Hub::resync) instead of growing.
    virtual void deliver(SharedText message) = 0;
    /// Queues a reply to the client's own request (ack, error, welcome...). Replies are never
    /// dropped on overflow: a client waiting for its ack must get it. A client that lets
    /// thousands of replies pile up unread is closed with 1008.
    virtual void deliver_reply(SharedText message) = 0;
    /// Replaces any not-yet-sent progress update: only the latest one matters.
    virtual void deliver_latest(SharedText progress) = 0;
    /// Closes the connection with a WebSocket close code (e.g. 1001 going away, 1008 policy).
    virtual void close(std::uint16_t code, std::string reason) = 0;
};

}  // namespace quorum
