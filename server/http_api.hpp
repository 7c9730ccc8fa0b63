#pragma once
// Routes HTTP requests: health, metrics, the session API, and the web client's static files.
// Beast-free, so every route is testable without a socket.
#include <optional>

#include "server/http_types.hpp"

namespace quorum {

class Hub;
class StaticFiles;

class HttpApi {
public:
    /// `files` may be null when no web root is served.
    HttpApi(Hub& hub, const StaticFiles* files);
    HttpResponse handle(const HttpRequest& request);

private:
    HttpResponse create_session(const HttpRequest& request);
    HttpResponse session_summary(const HttpRequest& request, const std::string& code);
    HttpResponse export_file(const HttpRequest& request, const std::string& code,
                             const std::string& format);
    /// Null when the request carries this session's facilitator token, else the refusal.
    std::optional<HttpResponse> refuse_unless_facilitator(const HttpRequest& request,
                                                          const std::string& code);
    HttpResponse metrics();
    HttpResponse static_file(const std::string& path);

    Hub& hub_;
    const StaticFiles* files_;
};

}  // namespace quorum
