#include "server/http_session.hpp"

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "server/websocket_session.hpp"

namespace quorum::edge {

namespace {

constexpr std::uint64_t kBodyLimit = 1024 * 1024;
constexpr std::string_view kServerName = "quorum";

std::string_view path_of(std::string_view target) {
    return target.substr(0, target.find('?'));
}

bool ends_with_html(std::string_view path) {
    return path.ends_with(".html") || path.ends_with(".htm");
}

/// The headers every response gets, then the application's, which may override them.
template <class Fields>
void set_headers(Fields& fields, const HttpResponse& out, bool no_cache) {
    fields.set(http::field::server, kServerName);
    if (!out.content_type.empty()) fields.set(http::field::content_type, out.content_type);
    fields.set("X-Content-Type-Options", "nosniff");
    // No other site may frame our pages (a facilitator tricked into clicking "reveal" or "end"),
    // and no page of ours tells another site its address (join codes are in paths).
    fields.set("X-Frame-Options", "DENY");
    fields.set("Content-Security-Policy", "frame-ancestors 'none'");
    fields.set("Referrer-Policy", "no-referrer");
    if (no_cache) fields.set(http::field::cache_control, "no-cache");
    for (const auto& [name, value] : out.headers) fields.set(name, value);
}

bool has_no_body(unsigned status) {
    return status < 200 || status == 204 || status == 304;
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, std::shared_ptr<NetState> state,
                         ConnectionLimiter::Slot slot)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      slot_(std::move(slot)),
      requests_(state_->options.http_request_rate, state_->options.http_request_burst) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? "unknown" : endpoint_text(remote);
    state_->http_sessions.insert(this);
}

HttpSession::~HttpSession() {
    state_->http_sessions.erase(this);
    state_->check_drained();
}

void HttpSession::run() {
    do_read();
}

void HttpSession::close_if_idle() {
    if (!reading_) return;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
}

void HttpSession::do_read() {
    // A fresh parser per request: body_limit applies to each one.
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    // One deadline for the whole request, headers and body: a client trickling bytes (slowloris)
    // is dropped when it passes, however steadily it sends. It also ends idle keep-alive.
    stream_.expires_after(state_->options.request_timeout);
    reading_ = true;
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
}

void HttpSession::on_read(beast::error_code ec, std::size_t) {
    reading_ = false;
    if (ec == http::error::end_of_stream) return do_close();
    if (ec == http::error::body_limit) return send_error(413, false);
    if (ec == http::error::header_limit) return send_error(431, false);
    // Anything else the parser refused (a control character or NUL in the target, a bad method
    // or header) is the client's mistake: say so rather than just hanging up.
    static const auto& parse_errors = http::make_error_code(http::error::bad_target).category();
    if (ec && ec.category() == parse_errors && ec != http::error::partial_message)
        return send_error(400, false);
    if (ec) return fail(ec, "read");

    if (!requests_.take(TokenBucket::Clock::now())) {
        state_->refusals.log(
            "warn", "http from " + peer_ + ": too many requests on one connection; closing");
        return send_error(429, false);
    }
    auto& request = parser_->get();
    if (beast::websocket::is_upgrade(request)) {
        if (path_of(request.target()) != "/ws") return send_error(404, false);
        if (state_->draining) return send_error(503, false);
        if (!origin_allowed(request)) return send_error(403, false);
        std::make_shared<WebsocketSession>(stream_.release_socket(), state_, std::move(slot_))
            ->run(parser_->release());
        return;
    }
    handle_request();
}

bool HttpSession::origin_allowed(const http::request<http::string_body>& request) {
    std::optional<std::string_view> origin;
    const auto origins = request.count(http::field::origin);
    if (origins == 1) origin = request[http::field::origin];
    // Two Origin or Host headers: no browser sends that, and which one counts is ambiguous.
    const bool allowed = origins <= 1 && request.count(http::field::host) <= 1 &&
                         state_->origins.allows(origin, request[http::field::host]);
    if (!allowed)
        state_->refusals.log("warn", "ws upgrade from " + peer_ + " refused: " +
                                         (origins > 1 ? std::string("several Origin headers")
                                                      : state_->origins.refusal(origin)));
    return allowed;
}

void HttpSession::handle_request() {
    auto& request = parser_->get();
    HttpRequest in;
    in.method = std::string(request.method_string());
    in.target = std::string(request.target());
    in.authorization = std::string(request[http::field::authorization]);
    in.body = std::move(request.body());

    HttpResponse out;
    if (!state_->handlers.http) {
        out = HttpResponse{404, "text/plain; charset=utf-8", "not found\n"};
    } else {
        try {
            out = state_->handlers.http(in);
        } catch (const std::exception& e) {
            log_line("error", std::string("http handler failed for ") + in.method + " " +
                                  std::string(path_of(in.target)) + ": " + e.what());
            out = HttpResponse{500, "text/plain; charset=utf-8", "internal server error\n"};
        }
    }
    if (out.status < 100 || out.status > 999) out.status = 500;

    const bool head = request.method() == http::verb::head;
    const bool keep_alive = request.keep_alive() && !state_->draining;
    const unsigned version = request.version();

    if (!out.file_path.empty()) {
        beast::error_code ec;
        http::file_body::value_type file;
        file.open(out.file_path.c_str(), beast::file_mode::scan, ec);
        if (ec) {
            // Resolved a moment ago, so it vanished or is unreadable.
            log_line("warn", "cannot open " + out.file_path + ": " + ec.message());
            return send_error(404, keep_alive);
        }
        const auto size = file.size();
        const bool no_cache = ends_with_html(out.file_path);
        if (head) {
            http::response<http::empty_body> res{static_cast<http::status>(out.status), version};
            set_headers(res, out, no_cache);
            res.content_length(size);
            res.keep_alive(keep_alive);
            return send(std::move(res));
        }
        http::response<http::file_body> res{
            std::piecewise_construct, std::make_tuple(std::move(file)),
            std::make_tuple(static_cast<http::status>(out.status), version)};
        set_headers(res, out, no_cache);
        res.content_length(size);
        res.keep_alive(keep_alive);
        return send(std::move(res));
    }

    if (head) {
        http::response<http::empty_body> res{static_cast<http::status>(out.status), version};
        set_headers(res, out, false);
        if (!has_no_body(out.status)) res.content_length(out.body.size());
        res.keep_alive(keep_alive);
        return send(std::move(res));
    }
    http::response<http::string_body> res{static_cast<http::status>(out.status), version};
    set_headers(res, out, false);
    if (!has_no_body(out.status)) res.body() = std::move(out.body);
    res.keep_alive(keep_alive);
    res.prepare_payload();
    send(std::move(res));
}

void HttpSession::send_error(unsigned status, bool keep_alive) {
    const unsigned version = parser_ ? parser_->get().version() : 11;
    http::response<http::string_body> res{static_cast<http::status>(status),
                                          version ? version : 11};
    HttpResponse out{status, "text/plain; charset=utf-8", {}};
    set_headers(res, out, false);
    res.body() = std::string(http::obsolete_reason(res.result())) + "\n";
    res.keep_alive(keep_alive && !state_->draining);
    res.prepare_payload();
    send(std::move(res));
}

template <class Response>
void HttpSession::send(Response&& response) {
    auto message = std::make_shared<std::decay_t<Response>>(std::forward<Response>(response));
    response_ = message;
    stream_.expires_after(state_->options.write_timeout);
    http::async_write(
        stream_, *message,
        beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), message->need_eof()));
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t) {
    response_.reset();
    if (ec) return fail(ec, "write");
    if (close || state_->draining) return do_close();
    do_read();
}

void HttpSession::do_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

void HttpSession::fail(beast::error_code ec, const char* what) {
    // Aborted and timed-out reads are how idle keep-alive connections normally end.
    if (ec == asio::error::operation_aborted || ec == beast::error::timeout ||
        ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == http::error::partial_message)
        return;
    log_line("warn", std::string("http ") + what + ": " + ec.message());
}

}  // namespace quorum::edge
