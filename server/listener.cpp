#include "server/listener.hpp"

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
        // Typically EMFILE: wait a little instead of spinning on the same error.
        log_line("error", "accept: " + ec.message());
        retry_timer_.expires_after(std::chrono::milliseconds(100));
        retry_timer_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
            if (!wait_ec) self->do_accept();
        });
        return;
    }
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // small WebSocket frames should not wait
    std::make_shared<HttpSession>(std::move(socket), state_)->run();
    do_accept();
}

}  // namespace quorum::edge
