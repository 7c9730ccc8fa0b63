#pragma once
// Internal to NetServer (includes Beast): one HTTP/1.1 connection. Reads a request at a time,
// answers it through NetHandlers::http (keep-alive), or hands the socket to a WebsocketSession
// when the request is an upgrade to /ws.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>
#include <string>

#include "server/listener.hpp"
#include "server/rate_limiter.hpp"

namespace quorum::edge {

namespace http = beast::http;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(tcp::socket&& socket, std::shared_ptr<NetState> state,
                ConnectionLimiter::Slot slot);
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    void run();
    /// Called when a graceful stop begins: closes the connection if it is waiting for a
    /// request; one being answered finishes first and then closes.
    void close_if_idle();

  private:
    void do_read();
    void on_read(beast::error_code ec, std::size_t bytes);
    void handle_request();
    void send_error(unsigned status, bool keep_alive);
    /// The Origin check of a WebSocket upgrade (see OriginPolicy); logs a refusal.
    bool origin_allowed(const http::request<http::string_body>& request);
    template <class Response>
    void send(Response&& response);
    void on_write(bool close, beast::error_code ec, std::size_t bytes);
    void do_close();
    void fail(beast::error_code ec, const char* what);

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<void> response_;  // the response being written, kept alive until done
    std::shared_ptr<NetState> state_;
    ConnectionLimiter::Slot slot_;  // handed on to the WebSocket session on upgrade
    TokenBucket requests_;
    std::string peer_;
    bool reading_ = false;
};

}  // namespace quorum::edge
