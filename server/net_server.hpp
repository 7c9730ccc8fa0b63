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
