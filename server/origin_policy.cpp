#include "server/origin_policy.hpp"

#include <stdexcept>

namespace quorum {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

int default_port(std::string_view scheme) {
    if (scheme == "http" || scheme == "ws") return 80;
    if (scheme == "https" || scheme == "wss") return 443;
    return -1;
}

/// Host characters browsers put in an Origin (RFC 3986 reg-name, IPv4); anything else, such as
/// '@', '/', '?', '#', a space or a control character, means the header is not a plain origin.
bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '%';
}

/// "host", "host:port", "[v6]" or "[v6]:port" into host and port (-1 when absent); nullopt when
/// malformed.
std::optional<std::pair<std::string, int>> split_authority(std::string_view text) {
    std::string_view host, port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = text.substr(0, close + 1);
        for (char c : host.substr(1, host.size() - 2))
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                  c == ':' || c == '.'))
                return std::nullopt;
        auto rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return std::nullopt;
            port = rest.substr(1);
            if (port.empty()) return std::nullopt;
        }
    } else {
        const auto colon = text.find(':');
        host = text.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = text.substr(colon + 1);
            if (port.empty()) return std::nullopt;
        }
        for (char c : host)
            if (!is_host_char(c)) return std::nullopt;
    }
    if (host.empty() || host == "[]") return std::nullopt;
    int port_number = -1;
    if (!port.empty()) {
        if (port.size() > 5) return std::nullopt;
        port_number = 0;
        for (char c : port) {
            if (c < '0' || c > '9') return std::nullopt;
            port_number = port_number * 10 + (c - '0');
        }
        if (port_number < 1 || port_number > 65535) return std::nullopt;
    }
    return std::pair{lower(host), port_number};
}

/// A short, printable excerpt of an untrusted header, safe to put in a log line.
std::string excerpt(std::string_view text) {
    std::string out;
    for (char c : text.substr(0, 80)) out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
    if (text.size() > 80) out += "...";
    return out;
}

}  // namespace

OriginPolicy::OriginPolicy(const std::vector<std::string>& allowed, bool allow_missing)
    : allow_missing_(allow_missing) {
    for (const auto& raw : allowed) {
        auto entry = trim(raw);
        if (entry.size() > 1 && entry.back() == '/') entry.remove_suffix(1);  // a pasted URL
        if (entry == "*") {
            any_ = true;
        } else if (lower(entry) == "self") {
            self_ = true;
        } else if (auto origin = parse_origin(entry)) {
            origins_.push_back(*origin);
        } else {
            throw std::invalid_argument("\"" + excerpt(entry) +
                                        "\" is not an origin (write it like "
                                        "https://workshop.example.org, or self, or *)");
        }
    }
}

std::vector<std::string> OriginPolicy::split_list(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        const auto comma = list.find(',');
        const auto item = trim(list.substr(0, comma));
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

std::optional<OriginPolicy::Origin> OriginPolicy::parse_origin(std::string_view text) {
    const auto sep = text.find("://");
    if (sep == std::string_view::npos || sep == 0) return std::nullopt;
    Origin o;
    o.scheme = lower(text.substr(0, sep));
    for (char c : o.scheme)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))
            return std::nullopt;
    auto authority = split_authority(text.substr(sep + 3));
    if (!authority) return std::nullopt;
    o.host = std::move(authority->first);
    o.port = authority->second >= 0 ? authority->second : default_port(o.scheme);
    return o;
}

bool OriginPolicy::allows(std::optional<std::string_view> origin, std::string_view host) const {
    if (!origin) return allow_missing_;
    if (any_) return true;
    const auto parsed = parse_origin(*origin);  // "null" (sandboxed pages, files) never parses
    if (!parsed) return false;
    for (const auto& allowed : origins_)
        if (allowed == *parsed) return true;
    if (!self_) return false;
    // The page's own server: the Origin names the host and port the browser connected to, which
    // is what it also put in Host. Browsers omit default ports in both, so fill them in from the
    // page's scheme.
    auto authority = split_authority(trim(host));
    if (!authority) return false;
    const int host_port = authority->second >= 0 ? authority->second : default_port(parsed->scheme);
    return authority->first == parsed->host && host_port == parsed->port;
}

std::string OriginPolicy::refusal(std::optional<std::string_view> origin) const {
    if (!origin) return "no Origin header, and clients without one are refused";
    return "Origin \"" + excerpt(*origin) + "\" is not allowed";
}

}  // namespace quorum
