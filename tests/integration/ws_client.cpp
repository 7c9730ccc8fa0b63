#include "ws_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <stdexcept>

namespace quorum::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

namespace {

/// Blocking reads give up after `timeout` instead of waiting for ever.
void set_read_timeout(tcp::socket& socket, std::chrono::milliseconds timeout) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body, const std::string& authorization) {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    set_read_timeout(socket, std::chrono::seconds(10));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return {res.result_int(), res.body(), std::string(res[http::field::content_type])};
}

Created create_session(unsigned short port, const std::string& title,
                       const std::vector<std::string>& areas) {
    const auto r =
        http_request(port, "POST", "/api/sessions",
                     nlohmann::json{{"title", title},
                                    {"areas", areas},
                                    {"scenarios", {{{"title", "One"}, {"description", "First."}}}}}
                         .dump());
    if (r.status != 201)
        throw std::runtime_error("creating a session: HTTP " + std::to_string(r.status) + " " +
                                 r.body);
    const auto body = nlohmann::json::parse(r.body);
    return {body["code"], body["facilitator_token"]};
}

struct WsClient::Impl {
    net::io_context ioc;
    websocket::stream<tcp::socket> ws{ioc};
    beast::flat_buffer buffer;
};

WsClient::WsClient(unsigned short port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
    auto& socket = impl_->ws.next_layer();
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    set_read_timeout(socket, timeout);
    impl_->ws.handshake("127.0.0.1:" + std::to_string(port), "/ws");
    impl_->ws.text(true);
}

WsClient::~WsClient() {
    beast::error_code ec;
    impl_->ws.next_layer().close(ec);
}

void WsClient::send(const nlohmann::json& message) {
    send_text(message.dump());
}

void WsClient::send_text(const std::string& text) {
    impl_->ws.write(net::buffer(text));
}

nlohmann::json WsClient::receive() {
    impl_->buffer.clear();
    beast::error_code ec;
    impl_->ws.read(impl_->buffer, ec);
    if (ec) throw std::runtime_error("websocket read failed: " + ec.message());
    return nlohmann::json::parse(beast::buffers_to_string(impl_->buffer.data()));
}

nlohmann::json WsClient::request(nlohmann::json message) {
    const int req = next_req_++;
    message["req"] = req;
    send(message);
    return wait_for(
        [req](const nlohmann::json& m) { return m.contains("req") && m["req"] == req; });
}

nlohmann::json WsClient::wait_for(const std::function<bool(const nlohmann::json&)>& match) {
    for (auto it = inbox_.begin(); it != inbox_.end(); ++it)
        if (match(*it)) {
            auto found = std::move(*it);
            inbox_.erase(it);
            return found;
        }
    for (;;) {
        auto m = receive();
        if (match(m)) return m;
        inbox_.push_back(std::move(m));
    }
}

int WsClient::wait_for_close() {
    for (;;) {
        impl_->buffer.clear();
        beast::error_code ec;
        impl_->ws.read(impl_->buffer, ec);
        if (ec == websocket::error::closed) return impl_->ws.reason().code;
        // The close frame may arrive just before the server drops the socket, which makes
        // answering it fail; the code it carried is what counts.
        if (ec && impl_->ws.reason().code != 0) return impl_->ws.reason().code;
        if (ec) throw std::runtime_error("connection ended without a close frame: " + ec.message());
    }
}

}  // namespace quorum::testing
