#pragma once
// Which web pages may open a WebSocket to this server. A browser lets any site open a WebSocket
// to any server and sends its cookies and network position along (cross-site WebSocket
// hijacking); the only thing the server can check is the Origin header the browser adds. Scripts
// and other non-browser clients send no Origin at all. Beast-free, so it is tested directly.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quorum {

class OriginPolicy {
  public:
    /// `allowed` holds "self" (an Origin whose host and port are those of the request's Host
    /// header: the page came from this server), "*" (any origin) or origins such as
    /// "https://workshop.example.org" or "http://127.0.0.1:8080" (scheme, host, optional port;
    /// nothing else). Throws std::invalid_argument naming a malformed entry. An empty list
    /// allows no browser at all.
    explicit OriginPolicy(const std::vector<std::string>& allowed = {"self"},
                          bool allow_missing = true);

    /// Splits a comma-separated list ("self, https://a.example") into entries.
    static std::vector<std::string> split_list(std::string_view list);

    /// Whether a WebSocket upgrade with this Origin header (nullopt when absent) and this Host
    /// header may proceed.
    bool allows(std::optional<std::string_view> origin, std::string_view host) const;

    /// Why allows() said no, for the log (never includes the header verbatim beyond a short,
    /// printable excerpt).
    std::string refusal(std::optional<std::string_view> origin) const;

  private:
    struct Origin {
        std::string scheme;  // lower-case
        std::string host;    // lower-case; IPv6 literals keep their brackets
        int port = -1;       // explicit or the scheme's default; -1 when the scheme has none
        bool operator==(const Origin&) const = default;
    };
    static std::optional<Origin> parse_origin(std::string_view text);

    bool any_ = false;
    bool self_ = false;
    bool allow_missing_ = true;
    std::vector<Origin> origins_;
};

}  // namespace quorum
