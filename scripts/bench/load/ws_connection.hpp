#pragma once
// A minimal RFC 6455 client connection for the load generator: plain Asio TCP, masked text
// frames out, unfragmented text frames in, ping answered, no extensions. It is deliberately much
// cheaper per message than a general WebSocket client, so that one driver thread can keep a
// server busy: frames queued while a write is in flight go out together in the next write, and
// one read can deliver many frames. Runs on one io_context thread; no locks.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace quorum::load {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

/// Traffic seen by every connection of the driver, for frames and bytes per vote.
struct WireCounters {
    std::uint64_t frames_in = 0;
    std::uint64_t bytes_in = 0;  // on the wire: frame headers included
    std::uint64_t frames_out = 0;
    std::uint64_t bytes_out = 0;
};

class WsConnection;

/// What a connection reports to its owner. All calls happen on the io_context thread.
class WsListener {
  public:
    virtual ~WsListener() = default;
    /// The handshake completed; the connection may send.
    virtual void on_open(WsConnection& c) = 0;
    /// One complete text message.
    virtual void on_text(WsConnection& c, std::string_view text) = 0;
    /// The connection failed or was closed; `why` says which. Called once.
    virtual void on_closed(WsConnection& c, const std::string& why) = 0;
};

class WsConnection final : public std::enable_shared_from_this<WsConnection> {
  public:
    WsConnection(asio::io_context& ioc, WsListener& listener, WireCounters& counters,
                 std::uint64_t tag);
    /// Connects to 127.0.0.1:port (or the given endpoint) and performs the upgrade to /ws.
    void start(const tcp::endpoint& server);
    /// Queues one text message. Frames queued while a write is in flight leave in one write.
    void send_text(std::string_view text);
    /// Closes the TCP connection at once (the benchmark is over).
    void shutdown();
    bool open() const { return open_; }
    /// The owner's index for this connection (participant number, or -1 for the facilitator).
    std::uint64_t tag() const { return tag_; }

  private:
    void on_connect(const boost::system::error_code& ec);
    void do_read();
    void on_read(const boost::system::error_code& ec, std::size_t n);
    bool parse_handshake();
    void parse_frames();
    void queue_frame(std::uint8_t opcode, std::string_view payload);
    void do_write();
    void fail(const std::string& why);

    tcp::socket socket_;
    WsListener& listener_;
    WireCounters& counters_;
    std::uint64_t tag_;
    std::vector<char> in_;
    std::size_t in_begin_ = 0, in_end_ = 0;
    std::string out_;      // frames waiting for the next write
    std::string writing_;  // the frames of the write in flight
    std::uint32_t mask_state_;
    bool handshaken_ = false;
    bool open_ = false;
    bool closed_ = false;
};

}  // namespace quorum::load
