#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>

namespace quorum::hardening {

RawSocket::RawSocket(unsigned short port, std::chrono::milliseconds timeout,
                     const std::string& source)
    : timeout_(timeout) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    if (!source.empty()) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
            throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const int e = errno;
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error(std::string("connect: ") + std::strerror(e));
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawSocket::~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
}

RawSocket::RawSocket(RawSocket&& other) noexcept
    : fd_(other.fd_), pending_(std::move(other.pending_)), timeout_(other.timeout_) {
    other.fd_ = -1;
}

bool RawSocket::send(std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool RawSocket::fill(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) return false;
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> RawSocket::read_exact(std::size_t n) {
    while (pending_.size() < n)
        if (!fill(timeout_)) return std::nullopt;
    auto out = pending_.substr(0, n);
    pending_.erase(0, n);
    return out;
}

std::optional<std::string> RawSocket::read_until(std::string_view marker) {
    for (;;) {
        if (auto at = pending_.find(marker); at != std::string::npos) {
            auto out = pending_.substr(0, at + marker.size());
            pending_.erase(0, at + marker.size());
            return out;
        }
        if (!fill(timeout_)) return std::nullopt;
    }
}

bool RawSocket::closed_by_peer(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        char chunk[4096];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) return true;  // end of stream or reset
    }
}

void RawSocket::small_receive_buffer() {
    int size = 4096;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

int upgrade(RawSocket& socket, unsigned short port,
            const std::vector<std::pair<std::string, std::string>>& headers, bool include_host) {
    std::string request = "GET /ws HTTP/1.1\r\n";
    if (include_host) request += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
    request +=
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
    for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
    request += "\r\n";
    if (!socket.send(request)) return 0;
    auto head = socket.read_until("\r\n\r\n");
    if (!head || head->size() < 12) return 0;
    const int status = std::stoi(head->substr(9, 3));
    if (status != 101) {
        // Consume the body, so the next read starts clean (our error bodies are short).
        if (auto at = head->find("Content-Length: "); at != std::string::npos)
            socket.read_exact(static_cast<std::size_t>(std::stoul(head->substr(at + 16))));
    }
    return status;
}

std::string frame(std::uint8_t opcode, std::string_view payload, bool fin, bool mask,
                  std::uint8_t rsv) {
    std::string out;
    out += static_cast<char>((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f));
    const std::uint8_t mask_bit = mask ? 0x80 : 0;
    if (payload.size() < 126) {
        out += static_cast<char>(mask_bit | payload.size());
    } else if (payload.size() <= 0xffff) {
        out += static_cast<char>(mask_bit | 126);
        out += static_cast<char>((payload.size() >> 8) & 0xff);
        out += static_cast<char>(payload.size() & 0xff);
    } else {
        out += static_cast<char>(mask_bit | 127);
        for (int shift = 56; shift >= 0; shift -= 8)
            out += static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xff);
    }
    if (!mask) return out.append(payload);
    static std::mt19937 rng{12345};
    char key[4];
    for (auto& k : key) k = static_cast<char>(rng());
    out.append(key, 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        out += static_cast<char>(payload[i] ^ key[i % 4]);
    return out;
}

std::optional<Frame> read_frame(RawSocket& socket) {
    auto head = socket.read_exact(2);
    if (!head) return std::nullopt;
    Frame f;
    const auto b0 = static_cast<std::uint8_t>((*head)[0]);
    const auto b1 = static_cast<std::uint8_t>((*head)[1]);
    f.fin = b0 & 0x80;
    f.rsv = (b0 >> 4) & 7;
    f.opcode = b0 & 0x0f;
    std::uint64_t length = b1 & 0x7f;
    if (length >= 126) {
        auto ext = socket.read_exact(length == 126 ? 2 : 8);
        if (!ext) return std::nullopt;
        length = 0;
        for (char c : *ext) length = (length << 8) | static_cast<std::uint8_t>(c);
    }
    std::string key;
    if (b1 & 0x80) {
        auto k = socket.read_exact(4);
        if (!k) return std::nullopt;
        key = *k;
    }
    auto payload = socket.read_exact(static_cast<std::size_t>(length));
    if (!payload) return std::nullopt;
    if (!key.empty())
        for (std::size_t i = 0; i < payload->size(); ++i) (*payload)[i] ^= key[i % 4];
    f.payload = std::move(*payload);
    return f;
}

int read_close_code(RawSocket& socket) {
    for (;;) {
        auto f = read_frame(socket);
        if (!f) return -1;
        if (f->opcode != 0x8) continue;
        if (f->payload.size() < 2) return 1005;
        return (static_cast<std::uint8_t>(f->payload[0]) << 8) |
               static_cast<std::uint8_t>(f->payload[1]);
    }
}

}  // namespace quorum::hardening
