#pragma once
// A plain blocking TCP client for tests that must say things a well-behaved client library never
// would: hand-made WebSocket frames (unmasked, reserved bits, oversized control frames), upgrade
// requests with chosen headers, requests trickled a byte at a time.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quorum::hardening {

class RawSocket {
  public:
    /// Connects to 127.0.0.1:port (from `source`, e.g. "127.0.0.2", when given).
    explicit RawSocket(unsigned short port,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       const std::string& source = {});
    ~RawSocket();
    RawSocket(RawSocket&& other) noexcept;
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    /// Sends everything; false if the peer has gone.
    bool send(std::string_view bytes);
    /// Exactly n bytes; nullopt on end of stream or timeout.
    std::optional<std::string> read_exact(std::size_t n);
    /// Up to and including `marker`; nullopt on end of stream or timeout.
    std::optional<std::string> read_until(std::string_view marker);
    /// Waits until the peer closes the connection (end of stream or reset), at most `within`.
    bool closed_by_peer(std::chrono::milliseconds within);
    /// Shrinks the kernel's receive buffer, so a client that stops reading pushes back quickly.
    void small_receive_buffer();
    int fd() const { return fd_; }

  private:
    int fd_ = -1;
    std::string pending_;  // read but not yet consumed
    bool fill(std::chrono::milliseconds timeout);
    std::chrono::milliseconds timeout_;
};

/// Sends a WebSocket upgrade request for /ws with these extra headers (on top of Host, Upgrade,
/// Connection, Sec-WebSocket-Key and -Version, unless `bare`) and returns the response's status
/// code (0 when the connection closed without one).
int upgrade(RawSocket& socket, unsigned short port,
            const std::vector<std::pair<std::string, std::string>>& headers = {},
            bool include_host = true);

/// A client frame. `mask` false makes it unmasked (forbidden for clients).
std::string frame(std::uint8_t opcode, std::string_view payload, bool fin = true, bool mask = true,
                  std::uint8_t rsv = 0);

struct Frame {
    bool fin = false;
    int rsv = 0;
    int opcode = -1;
    std::string payload;
};
/// The next frame from the server; nullopt on end of stream or timeout.
std::optional<Frame> read_frame(RawSocket& socket);
/// Reads frames until a close frame and returns its code (1005 when it carries none); -1 when
/// the connection ended without one.
int read_close_code(RawSocket& socket);

}  // namespace quorum::hardening
