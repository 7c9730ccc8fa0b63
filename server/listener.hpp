#pragma once
// Internal to NetServer (includes Beast): the acceptor, and NetState, the state every session
// shares. Like the Beast chat example, the listener hands each socket to an HttpSession, which
// may hand it on to a WebsocketSession.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "server/connection_limiter.hpp"
#include "server/net_server.hpp"
#include "server/origin_policy.hpp"

namespace quorum::edge {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class HttpSession;
class WebsocketSession;

/// At most one log line per interval for a repetitive condition (refused connections, accept
/// errors), with a count of what was left out: a flood must not also flood the log.
class LogThrottle {
  public:
    explicit LogThrottle(std::chrono::steady_clock::duration interval) : interval_(interval) {}
    /// Logs `text` now, or counts it to report with the next line that is let through.
    void log(std::string_view level, const std::string& text);

  private:
    std::chrono::steady_clock::duration interval_;
    std::chrono::steady_clock::time_point next_{};
    std::size_t suppressed_ = 0;
};

/// Shared by every session; only touched on the I/O thread, so it has no locks.
struct NetState {
    NetOptions options;
    NetHandlers handlers;
    OriginPolicy origins;  // from options, once
    /// Every open connection holds a slot (options.max_connections and per address).
    std::shared_ptr<ConnectionLimiter> limiter;
    /// Refusals clients can provoke at will (bad Origin, too many requests or messages).
    LogThrottle refusals{std::chrono::seconds(10)};
    /// A graceful stop has begun: no new WebSocket clients, no more keep-alive.
    bool draining = false;
    /// Called once, when draining and no session is left.
    std::function<void()> on_drained;
    // Open sessions; each adds itself on construction and removes itself when it ends.
    std::unordered_set<HttpSession*> http_sessions;
    std::unordered_set<WebsocketSession*> websocket_sessions;

    void check_drained();
};

/// One log line on stderr: "<level> <text>". Levels: info, warn, error.
void log_line(std::string_view level, std::string_view text);
/// "127.0.0.1:5555", "[::1]:5555".
std::string endpoint_text(const tcp::endpoint& endpoint);
std::string host_port_text(std::string_view host, unsigned short port);
/// The key a client address is counted under for the per-address cap: the IPv4 address (also
/// when mapped into IPv6), an IPv6 /64 (one subscriber's usual allocation), or "" for loopback
/// unless `limit_loopback`.
std::string address_key(const asio::ip::address& address, bool limit_loopback);

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    /// Opens, binds (SO_REUSEADDR) and listens; throws std::runtime_error when it cannot.
    Listener(asio::io_context& ioc, const std::string& host, unsigned short port,
             std::shared_ptr<NetState> state);
    unsigned short port() const { return port_; }
    /// Starts accepting.
    void run();
    /// Closes the acceptor; sessions already accepted go on.
    void stop();

  private:
    void do_accept();
    void on_accept(beast::error_code ec, tcp::socket socket);

    asio::io_context& ioc_;
    tcp::acceptor acceptor_;
    asio::steady_timer retry_timer_;
    std::shared_ptr<NetState> state_;
    unsigned short port_ = 0;
    std::chrono::milliseconds retry_delay_{0};  // grows while accept keeps failing
    LogThrottle accept_errors_{std::chrono::seconds(10)};
    LogThrottle refusals_{std::chrono::seconds(10)};
};

}  // namespace quorum::edge
