#pragma once
// Internal to NetServer (includes Beast): one WebSocket client, and the ClientSink the hub
// sees for it. Owns a bounded write queue (one async_write in flight at a time), a single
// replaceable progress slot, and the close handshake. Runs only on the I/O thread, so no locks.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "server/client_sink.hpp"
#include "server/listener.hpp"
#include "server/rate_limiter.hpp"

namespace quorum::edge {

namespace websocket = beast::websocket;

class WebsocketSession final : public ClientSink,
                               public std::enable_shared_from_this<WebsocketSession> {
  public:
    WebsocketSession(tcp::socket&& socket, std::shared_ptr<NetState> state,
                     ConnectionLimiter::Slot slot);
    ~WebsocketSession() override;
    WebsocketSession(const WebsocketSession&) = delete;
    WebsocketSession& operator=(const WebsocketSession&) = delete;

    /// Completes the handshake for this upgrade request, then connects to the application.
    void run(beast::http::request<beast::http::string_body> upgrade);

    // ClientSink. After disconnect (or a close request) everything is dropped.
    void deliver(SharedText message) override;
    void deliver_reply(SharedText message) override;
    void deliver_latest(SharedText progress) override;
    void close(std::uint16_t code, std::string reason) override;

    /// Ends the session now, without a close handshake (the server is stopping).
    void abort();

  private:
    void on_accept(beast::error_code ec);
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void do_write();
    void on_write(SharedText message, beast::error_code ec, std::size_t bytes);
    void on_close(beast::error_code ec);
    void enqueue(SharedText message, bool reply);
    void overflow();
    /// Rate limiting of one message: refused when over the limit; sustained abuse closes the
    /// connection with 1008.
    enum class Admission { ok, refused, closing };
    Admission admit();
    /// The same for a ping, which Beast answers by itself; only ever closes.
    void admit_ping();
    /// Closes for a policy violation: the backlog is dropped, the close goes out next.
    void close_for_policy(std::string reason);
    /// True (and the connection is dropped) when the frame being written has been stuck for
    /// longer than options.write_timeout: the client stopped reading.
    bool write_stalled();
    void finish();
    void fail(beast::error_code ec, const char* what);

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::shared_ptr<NetState> state_;
    ConnectionLimiter::Slot slot_;
    TokenBucket messages_;            // options.message_rate
    TokenBucket abuse_;               // refused messages, refilled at one per second
    asio::steady_timer close_timer_;  // bounds how long a requested close may take
    std::chrono::steady_clock::time_point write_started_;
    std::string peer_;  // "127.0.0.1:5555", for the log
    ConnectionId id_ = 0;
    bool connected_ = false;        // handlers.connect returned; disconnect is owed
    bool finished_ = false;         // the connection is over
    bool writing_ = false;          // an async_write is in flight
    bool close_requested_ = false;  // close() was called; the close goes after the queue
    bool close_started_ = false;    // async_close is in flight
    bool resync_pending_ = false;   // overflowed; handlers.resync is posted
    bool stalled_ = false;          // stopped reading; being dropped
    struct Queued {
        SharedText text;
        bool reply;  // a reply to the client's request: survives an overflow
    };
    std::deque<Queued> queue_;
    std::size_t queued_bytes_ = 0;
    std::size_t queued_replies_ = 0;
    SharedText latest_;  // the newest progress update, sent once the queue is empty
    websocket::close_reason close_reason_;
};

}  // namespace quorum::edge
