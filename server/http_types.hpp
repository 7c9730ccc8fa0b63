#pragma once
// Beast-free request and response, so routing and the API can be written and tested without
// instantiating Beast templates.
#include <string>
#include <utility>
#include <vector>

namespace quorum {

struct HttpRequest {
    std::string method;  // "GET", "POST", ...
    std::string target;  // path and query, as received, e.g. "/api/sessions/ABC234?x=1"
    std::string authorization;  // the Authorization header, if any
    std::string body;
};

struct HttpResponse {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers
    /// When set, the body is this file's content (served by the static file server).
    std::string file_path;
};

}  // namespace quorum
