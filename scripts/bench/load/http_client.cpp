#include "load/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <stdexcept>

namespace quorum::load {

namespace asio = boost::asio;
namespace http = boost::beast::http;

HttpReply http_request(const std::string& host, unsigned short port, const std::string& method,
                       const std::string& target, const std::string& body,
                       const std::string& bearer) {
    try {
        asio::io_context ioc;
        asio::ip::tcp::socket socket(ioc);
        socket.connect({asio::ip::make_address(host), port});
        http::request<http::string_body> req{http::string_to_verb(method), target, 11};
        req.set(http::field::host, host + ":" + std::to_string(port));
        req.set(http::field::connection, "close");
        if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
        if (!body.empty()) {
            req.set(http::field::content_type, "application/json");
            req.body() = body;
        }
        req.prepare_payload();
        http::write(socket, req);
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(socket, buffer, parser);
        auto res = parser.release();
        boost::system::error_code ignored;
        socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        return {res.result_int(), std::move(res.body())};
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error(method + " " + target + ": " + e.what());
    }
}

}  // namespace quorum::load
