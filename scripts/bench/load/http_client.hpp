#pragma once
// Blocking HTTP/1.1 requests to the server under test, for the few calls outside the measured
// window: creating the session, reading its final tally and /metrics.
#include <string>

namespace quorum::load {

struct HttpReply {
    unsigned status = 0;
    std::string body;
};

/// One request to host:port; throws std::runtime_error when the server cannot be reached.
HttpReply http_request(const std::string& host, unsigned short port, const std::string& method,
                       const std::string& target, const std::string& body = {},
                       const std::string& bearer = {});

}  // namespace quorum::load
