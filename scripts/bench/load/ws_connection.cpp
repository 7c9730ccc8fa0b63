#include "load/ws_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

namespace quorum::load {

namespace {

constexpr std::size_t initial_buffer = 4096;

// Any valid key (16 bytes, base64) will do: the server only echoes its hash, which this client
// does not check.
constexpr std::string_view upgrade_request_tail =
    "Upgrade: websocket\r\n"
    "Connection: Upgrade\r\n"
    "Sec-WebSocket-Key: cXVvcnVtLWxvYWQtZHJpdg==\r\n"
    "Sec-WebSocket-Version: 13\r\n"
    "\r\n";

}  // namespace

WsConnection::WsConnection(asio::io_context& ioc, WsListener& listener, WireCounters& counters,
                           std::uint64_t tag)
    : socket_(ioc),
      listener_(listener),
      counters_(counters),
      tag_(tag),
      mask_state_(static_cast<std::uint32_t>(tag * 2654435761u + 1)) {}

void WsConnection::start(const tcp::endpoint& server) {
    socket_.async_connect(server, [self = shared_from_this()](const boost::system::error_code& ec) {
        self->on_connect(ec);
    });
}

void WsConnection::on_connect(const boost::system::error_code& ec) {
    if (ec) return fail("connect: " + ec.message());
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    const auto remote = socket_.remote_endpoint(ignored);
    out_ = "GET /ws HTTP/1.1\r\nHost: " + remote.address().to_string() + ":" +
           std::to_string(remote.port()) + "\r\n";
    out_ += upgrade_request_tail;
    in_.resize(initial_buffer);
    do_write();
    do_read();
}

void WsConnection::do_read() {
    if (closed_) return;
    if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
    if (in_end_ == in_.size()) {
        if (in_begin_ > 0) {
            std::memmove(in_.data(), in_.data() + in_begin_, in_end_ - in_begin_);
            in_end_ -= in_begin_;
            in_begin_ = 0;
        } else {
            in_.resize(in_.size() * 2);
        }
    }
    socket_.async_read_some(asio::buffer(in_.data() + in_end_, in_.size() - in_end_),
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        std::size_t n) { self->on_read(ec, n); });
}

void WsConnection::on_read(const boost::system::error_code& ec, std::size_t n) {
    if (closed_) return;
    if (ec) return fail(ec == asio::error::eof ? "closed by the server" : "read: " + ec.message());
    in_end_ += n;
    counters_.bytes_in += n;
    if (!handshaken_ && !parse_handshake()) return;
    if (handshaken_) parse_frames();
    do_read();
}

bool WsConnection::parse_handshake() {
    std::string_view data(in_.data() + in_begin_, in_end_ - in_begin_);
    const auto end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (data.size() > 8192) fail("handshake: reply too long");
        return !closed_;
    }
    if (data.substr(0, 12) != "HTTP/1.1 101") {
        fail("handshake refused: " + std::string(data.substr(0, data.find("\r\n"))));
        return false;
    }
    in_begin_ += end + 4;
    handshaken_ = open_ = true;
    listener_.on_open(*this);
    return !closed_;
}

void WsConnection::parse_frames() {
    while (!closed_) {
        const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + in_begin_);
        const std::size_t avail = in_end_ - in_begin_;
        if (avail < 2) return;
        const std::uint8_t opcode = p[0] & 0x0f;
        std::uint64_t len = p[1] & 0x7f;
        std::size_t header = 2;
        if (len == 126) {
            if (avail < 4) return;
            len = (std::uint64_t{p[2]} << 8) | p[3];
            header = 4;
        } else if (len == 127) {
            if (avail < 10) return;
            len = 0;
            for (int i = 0; i < 8; ++i) len = (len << 8) | p[2 + i];
            header = 10;
        }
        if (p[1] & 0x80) return fail("the server sent a masked frame");
        if (avail < header + len) {
            // Make room for the whole frame (a facilitator's snapshot can be large).
            if (header + len > in_.size()) {
                std::memmove(in_.data(), in_.data() + in_begin_, avail);
                in_begin_ = 0;
                in_end_ = avail;
                in_.resize(std::max<std::size_t>(header + len, in_.size() * 2));
            }
            return;
        }
        std::string_view payload(in_.data() + in_begin_ + header, static_cast<std::size_t>(len));
        in_begin_ += header + static_cast<std::size_t>(len);
        ++counters_.frames_in;
        switch (opcode) {
            case 0x1:  // text; the server never fragments
                listener_.on_text(*this, payload);
                break;
            case 0x8:
                return fail("closed by the server (close frame)");
            case 0x9:
                queue_frame(0xA, payload);
                do_write();
                break;
            default:
                break;  // pong, binary: ignore
        }
    }
}

void WsConnection::send_text(std::string_view text) {
    if (!open_ || closed_) return;
    queue_frame(0x1, text);
    do_write();
}

void WsConnection::queue_frame(std::uint8_t opcode, std::string_view payload) {
    char header[14];
    std::size_t n = 0;
    header[n++] = static_cast<char>(0x80 | opcode);
    const auto len = payload.size();
    if (len < 126) {
        header[n++] = static_cast<char>(0x80 | len);
    } else if (len < 65536) {
        header[n++] = static_cast<char>(0x80 | 126);
        header[n++] = static_cast<char>(len >> 8);
        header[n++] = static_cast<char>(len & 0xff);
    } else {
        header[n++] = static_cast<char>(0x80 | 127);
        for (int i = 7; i >= 0; --i) header[n++] = static_cast<char>((len >> (8 * i)) & 0xff);
    }
    // xorshift: a client must mask, but the key need not be cryptographic for a benchmark.
    mask_state_ ^= mask_state_ << 13;
    mask_state_ ^= mask_state_ >> 17;
    mask_state_ ^= mask_state_ << 5;
    char key[4];
    std::memcpy(key, &mask_state_, 4);
    std::memcpy(header + n, key, 4);
    n += 4;
    const auto start = out_.size();
    out_.append(header, n);
    out_.append(payload);
    char* body = out_.data() + start + n;
    for (std::size_t i = 0; i < len; ++i) body[i] ^= key[i & 3];
    ++counters_.frames_out;
}

void WsConnection::do_write() {
    if (!writing_.empty() || out_.empty() || closed_) return;
    writing_.swap(out_);
    counters_.bytes_out += writing_.size();
    asio::async_write(
        socket_, asio::buffer(writing_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
            self->writing_.clear();
            if (self->closed_) return;
            if (ec) return self->fail("write: " + ec.message());
            self->do_write();
        });
}

void WsConnection::shutdown() {
    if (closed_) return;
    closed_ = true;
    open_ = false;
    boost::system::error_code ignored;
    socket_.close(ignored);
}

void WsConnection::fail(const std::string& why) {
    if (closed_) return;
    shutdown();
    listener_.on_closed(*this, why);
}

}  // namespace quorum::load
