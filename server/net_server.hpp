#pragma once
// The network edge: one listening socket serving HTTP and WebSocket (at /ws) on one I/O thread.
// It knows nothing about the domain; the application plugs in through NetHandlers, and reaches a
// WebSocket client only through the ClientSink it is handed on connect. No Beast or Asio here.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/client_sink.hpp"
#include "server/http_types.hpp"

namespace quorum {

struct NetOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;                     // 0 picks a free port; see NetServer::port()
    std::size_t max_message_bytes = 16 * 1024;      // larger client messages close with 1009
    std::chrono::milliseconds tick{100};            // period of NetHandlers::tick; 0 disables it
    std::size_t queue_max_messages = 1024;          // per-client write queue bounds, beyond which
    std::size_t queue_max_bytes = 2 << 20;          // the backlog is dropped and resync is called
    std::size_t queue_max_replies = 4096;           // unread replies beyond this close with 1008
    std::chrono::milliseconds drain_timeout{2000};  // how long a graceful stop waits for clients

    // --- Hardening (docs/SECURITY.md) ---------------------------------------------------
    /// Web pages allowed to open a WebSocket, by their Origin header: "self" (this server's own
    /// pages, judged by the Host header), "*", or origins like "https://workshop.example.org".
    std::vector<std::string> allowed_origins{"self"};
    /// Whether an upgrade without Origin (scripts, the load generator; never a browser) is let in.
    bool allow_missing_origin = true;
    /// Open TCP connections (HTTP and WebSocket) at most. The server lowers it to what the
    /// file-descriptor limit allows, keeping some descriptors for the database and files. 0: no
    /// cap at all; running out of descriptors is then met by pausing the accept loop.
    std::size_t max_connections = 20000;
    /// Open connections per client address (IPv6: per /64); 0: no cap. Loopback is not counted
    /// unless limit_loopback: behind a reverse proxy every client comes from there.
    std::size_t max_connections_per_address = 1000;
    bool limit_loopback = false;
    /// Client messages per second per WebSocket connection, sustained, and the burst allowed on
    /// top; 0: no limit. Beyond it a message is answered `rate_limited` (NetHandlers::refused).
    double message_rate = 50;
    double message_burst = 200;
    /// Refused messages a connection may send (refilled at one per second) before it is closed
    /// with 1008: the difference between a burst and a flood.
    double abuse_burst = 100;
    /// HTTP requests per second per connection (and burst); beyond it 429 and the connection
    /// closes.
    double http_request_rate = 50;
    double http_request_burst = 200;
    /// The whole of an HTTP request (headers and body, or the upgrade request) must arrive within
    /// this; so must the response leave. Slow clients (slowloris) are dropped.
    std::chrono::milliseconds request_timeout{30000};
    /// WebSocket opening and closing handshakes.
    std::chrono::milliseconds handshake_timeout{30000};
    /// A WebSocket client silent this long is dropped; a ping is sent halfway.
    std::chrono::milliseconds idle_timeout{300000};
    /// A client whose frame has not been written in this long (it stopped reading) is dropped
    /// the next time something is queued for it; also the longest a close may take.
    std::chrono::milliseconds write_timeout{60000};
};

/// Every handler is called on the I/O thread, never concurrently. Unset handlers are skipped
/// (an unset `http` answers 404).
struct NetHandlers {
    std::function<HttpResponse(const HttpRequest&)> http;
    /// A WebSocket client completed its handshake on /ws.
    std::function<ConnectionId(std::shared_ptr<ClientSink>)> connect;
    /// One complete text message from a client.
    std::function<void(ConnectionId, std::string_view)> message;
    /// Called exactly once per connected client, after which its sink drops everything.
    std::function<void(ConnectionId)> disconnect;
    /// The client's write queue overflowed and was dropped: send it a fresh snapshot.
    std::function<void(ConnectionId)> resync;
    /// A message the edge refused without passing it on (`code` "rate_limited"): answer it.
    std::function<void(ConnectionId, std::string_view text, std::string_view code)> refused;
    std::function<void()> tick;
    /// A graceful stop began: flush, then close the clients (ClientSink::close with 1001).
    std::function<void()> shutdown;
};

class NetServer {
  public:
    /// Binds and listens at once, so port() is valid before run(). Throws std::runtime_error
    /// ("cannot listen on 127.0.0.1:8080: Address already in use") when it cannot.
    NetServer(NetOptions options, NetHandlers handlers);
    ~NetServer();
    NetServer(const NetServer&) = delete;
    NetServer& operator=(const NetServer&) = delete;

    /// Runs `fn` on the I/O thread. Safe from any thread; exceptions from `fn` are logged.
    void post(std::function<void()> fn);
    /// The port actually bound.
    unsigned short port() const;
    /// Serves on the calling thread (which becomes the I/O thread) until stopped by stop(),
    /// SIGINT or SIGTERM. A second signal during the graceful stop stops at once.
    void run();
    /// Graceful stop, safe from any thread: stop accepting, call handlers.shutdown, let the
    /// clients' queued writes and close handshakes finish (at most options.drain_timeout), then
    /// return from run(). Clients still open then are dropped and reported through disconnect.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace quorum
