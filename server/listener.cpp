#include "server/listener.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <utility>

#include "server/http_session.hpp"

namespace quorum::edge {

void NetState::check_drained() {
    if (!draining || !on_drained || !http_sessions.empty() || !websocket_sessions.empty()) return;
    auto done = std::move(on_drained);
    on_drained = nullptr;
    done();
}

void log_line(std::string_view level, std::string_view text) {
    // Same shape as the application's log (server/log.cpp): "<UTC time> <level> <text>".
    const auto now = std::chrono::system_clock::now();
    const auto t = std::chrono::system_clock::to_time_t(now);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    // One fprintf per line: stdio locks the stream, so lines do not interleave.
    std::fprintf(stderr, "%s.%03dZ %.*s %.*s\n", stamp, static_cast<int>(ms),
                 static_cast<int>(level.size()), level.data(), static_cast<int>(text.size()),
                 text.data());
}

std::string host_port_text(std::string_view host, unsigned short port) {
    std::string out;
    if (host.find(':') != std::string_view::npos)
        out.append("[").append(host).append("]");
    else
        out.append(host);
    return out.append(":").append(std::to_string(port));
}

std::string endpoint_text(const tcp::endpoint& endpoint) {
    return host_port_text(endpoint.address().to_string(), endpoint.port());
}

std::string address_key(const asio::ip::address& address, bool limit_loopback) {
    if (address.is_loopback() && !limit_loopback) return {};
    if (address.is_v4()) return address.to_v4().to_string();
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
        const auto v4 = asio::ip::make_address_v4(asio::ip::v4_mapped, v6);
        if (v4.is_loopback() && !limit_loopback) return {};
        return v4.to_string();
    }
    // One subscriber usually gets a whole /64, so counting single addresses would not hold
    // anyone back.
    auto bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return asio::ip::address_v6(bytes).to_string() + "/64";
}

void LogThrottle::log(std::string_view level, const std::string& text) {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_) {
        ++suppressed_;
        return;
    }
    next_ = now + interval_;
    if (suppressed_ == 0) return log_line(level, text);
    log_line(level, text + " (and " + std::to_string(suppressed_) + " more like it)");
    suppressed_ = 0;
}

Listener::Listener(asio::io_context& ioc, const std::string& host, unsigned short port,
                   std::shared_ptr<NetState> state)
    : ioc_(ioc), acceptor_(ioc), retry_timer_(ioc), state_(std::move(state)) {
    auto fail = [&](beast::error_code ec) {
        throw std::runtime_error("cannot listen on " + host_port_text(host, port) + ": " +
                                 ec.message());
    };
    beast::error_code ec;
    tcp::endpoint endpoint;
    auto address = asio::ip::make_address(host, ec);
    if (!ec) {
        endpoint = tcp::endpoint(address, port);
    } else {
        // Not a literal address ("localhost"): take the first the resolver offers.
        tcp::resolver resolver(ioc);
        auto results = resolver.resolve(host, std::to_string(port), ec);
        if (ec) fail(ec);
        if (results.empty()) fail(asio::error::host_not_found);
        endpoint = results.begin()->endpoint();
    }
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) fail(ec);
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) fail(ec);
    acceptor_.bind(endpoint, ec);
    if (ec) fail(ec);
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) fail(ec);
    port_ = acceptor_.local_endpoint(ec).port();
    if (ec) fail(ec);
}

void Listener::run() {
    do_accept();
}

void Listener::stop() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
}

void Listener::do_accept() {
    if (!acceptor_.is_open()) return;
    acceptor_.async_accept(ioc_,
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                               self->on_accept(ec, std::move(socket));
                           });
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
        // Typically EMFILE or ENFILE (out of file descriptors), ENOBUFS or ENOMEM: the pending
        // connection stays in the backlog, so wait instead of spinning on the same error, a
        // little longer each time, and try again. Connections that close free descriptors.
        retry_delay_ = std::min<std::chrono::milliseconds>(
            std::chrono::milliseconds(1000),
            retry_delay_.count() ? retry_delay_ * 2 : std::chrono::milliseconds(50));
        accept_errors_.log("error", "accept: " + ec.message() + "; retrying in " +
                                        std::to_string(retry_delay_.count()) + " ms");
        retry_timer_.expires_after(retry_delay_);
        retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
            if (!wait_ec) self->do_accept();
        });
        return;
    }
    retry_delay_ = std::chrono::milliseconds(0);
    beast::error_code remote_ec;
    const auto remote = socket.remote_endpoint(remote_ec);
    if (remote_ec) return do_accept();  // already gone; the socket closes as it goes out of scope
    ConnectionLimiter::Refusal why{};
    auto slot =
        state_->limiter->admit(address_key(remote.address(), state_->options.limit_loopback), &why);
    if (!slot) {
        // Closed at once, unread: the cheapest answer, and a client that retries later gets in.
        refusals_.log(
            "warn",
            "connection from " + remote.address().to_string() + " refused: " +
                (why == ConnectionLimiter::Refusal::total
                     ? "the server has " + std::to_string(state_->limiter->max_total()) +
                           " connections open"
                     : "that address has " + std::to_string(state_->limiter->max_per_address()) +
                           " connections open"));
        beast::error_code ignored;
        socket.close(ignored);
        return do_accept();
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // small WebSocket frames should not wait
    std::make_shared<HttpSession>(std::move(socket), state_, std::move(*slot))->run();
    do_accept();
}

}  // namespace quorum::edge
