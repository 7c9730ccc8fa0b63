#include "server/http_api.hpp"

#include <nlohmann/json.hpp>

#include "protocol/decode.hpp"
#include "protocol/views.hpp"
#include "server/hub.hpp"
#include "server/static_files.hpp"
#include "sessions/exports/export.hpp"
#include "sessions/tokens.hpp"

namespace quorum {
namespace {

using nlohmann::json;

HttpResponse json_response(unsigned status, const json& body) {
    return HttpResponse{status, "application/json", body.dump(), {}, {}};
}

HttpResponse problem(unsigned status, std::string_view code, std::string_view message) {
    return json_response(status, {{"error", code}, {"message", message}});
}

std::string bearer_token(const std::string& authorization) {
    constexpr std::string_view prefix = "Bearer ";
    if (authorization.size() <= prefix.size() ||
        authorization.compare(0, prefix.size(), prefix) != 0)
        return {};
    return authorization.substr(prefix.size());
}

/// The path without its query string.
std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

HttpApi::HttpApi(Hub& hub, const StaticFiles* files) : hub_(hub), files_(files) {}

HttpResponse HttpApi::handle(const HttpRequest& request) {
    const auto path = path_of(request.target);
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (path == "/healthz") {
        if (!get) return problem(405, "method_not_allowed", "use GET");
        return json_response(200, {{"status", "ok"},
                                   {"sessions", hub_.sessions().size()},
                                   {"connections", hub_.connection_count()}});
    }
    if (path == "/metrics") {
        if (!get) return problem(405, "method_not_allowed", "use GET");
        return metrics();
    }
    if (path == "/api/sessions") {
        if (request.method != "POST") return problem(405, "method_not_allowed", "use POST");
        return create_session(request);
    }
    if (starts_with(path, "/api/sessions/")) {
        if (!get) return problem(405, "method_not_allowed", "use GET");
        const auto rest = path.substr(std::string_view("/api/sessions/").size());
        const auto slash = rest.find('/');
        if (slash == std::string::npos) return session_summary(request, normalise_join_code(rest));
        constexpr std::string_view export_segment = "/export/";
        if (rest.compare(slash, export_segment.size(), export_segment) == 0)
            return export_file(request, normalise_join_code(rest.substr(0, slash)),
                               rest.substr(slash + export_segment.size()));
        return problem(404, "not_found", "no such API endpoint");
    }
    if (starts_with(path, "/api/")) return problem(404, "not_found", "no such API endpoint");
    if (!get) return problem(405, "method_not_allowed", "static files are read with GET");
    return static_file(path);
}

HttpResponse HttpApi::create_session(const HttpRequest& request) {
    auto decoded = proto::decode_session_request(request.body);
    if (auto* error = std::get_if<proto::DecodeError>(&decoded))
        return problem(400, error->code, error->message);
    auto created = hub_.create_session(std::move(std::get<SessionConfig>(decoded)));
    if (auto* error = std::get_if<RuleError>(&created))
        return problem(400, to_string(error->code), error->message);
    const auto& c = std::get<CreatedSession>(created);
    return json_response(201, {{"code", c.code},
                               {"facilitator_token", c.facilitator_token},
                               {"join_path", "/join/" + c.code},
                               {"facilitator_path", "/facilitate/" + c.code + "#" + c.facilitator_token}});
}

std::optional<HttpResponse> HttpApi::refuse_unless_facilitator(const HttpRequest& request,
                                                                const std::string& code) {
    const auto token = bearer_token(request.authorization);
    if (token.empty())
        return problem(401, "unauthorised", "send the facilitator token as 'Authorization: Bearer …'");
    if (!hub_.find_session(code) || !hub_.is_facilitator(code, token))
        return problem(403, "forbidden", "that token does not open this session");
    return std::nullopt;
}

HttpResponse HttpApi::export_file(const HttpRequest& request, const std::string& code,
                                  const std::string& format_name) {
    if (auto refusal = refuse_unless_facilitator(request, code)) return *refusal;
    const auto format = exports::parse_format(format_name);
    if (!format)
        return problem(404, "unknown_format",
                       "the export format must be one of " + exports::format_names());
    // "&a=1&b=2&", so each parameter can be found whole. (Appended rather than concatenated:
    // GCC 12 warns falsely about the temporaries of "&" + ... + "&".)
    std::string query;
    if (const auto q = request.target.find('?'); q != std::string::npos)
        query.append("&").append(request.target, q + 1).append("&");
    const bool names = query.find("&names=1&") != std::string::npos ||
                       query.find("&names=true&") != std::string::npos;
    exports::ExportFile file;
    try {
        file = exports::export_session(hub_.event_log(code), *format, {names, hub_.now()});
    } catch (const std::exception& e) {
        return problem(500, "export_failed", std::string("the export could not be made: ") + e.what());
    }
    return HttpResponse{200,
                        file.content_type,
                        std::move(file.content),
                        {{"Content-Disposition", "attachment; filename=\"" + file.filename + "\""},
                         {"Cache-Control", "no-store"},
                         // Exports are inert documents: nothing in one may run or load anything.
                         {"Content-Security-Policy",
                          "default-src 'none'; style-src 'unsafe-inline'; img-src data:"}},
                        {}};
}

HttpResponse HttpApi::session_summary(const HttpRequest& request, const std::string& code) {
    if (auto refusal = refuse_unless_facilitator(request, code)) return *refusal;
    const auto* session = hub_.find_session(code);
    auto view = proto::snapshot_view(*session, proto::Audience::of_facilitator(), hub_.presence_of(code));
    view.erase("type");
    return json_response(200, view);
}

HttpResponse HttpApi::metrics() {
    const auto& m = hub_.metrics();
    const auto commits = hub_.commit_stats();
    std::string out;
    auto metric = [&](const char* name, const char* type, const char* help, auto value) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
               name + " " + std::to_string(value) + "\n";
    };
    metric("quorum_connections", "gauge", "WebSocket connections open now.", hub_.connection_count());
    metric("quorum_connections_opened_total", "counter", "WebSocket connections accepted.", m.connections_opened);
    metric("quorum_sessions", "gauge", "Sessions held by this server.", hub_.sessions().size());
    metric("quorum_messages_received_total", "counter", "Client messages received.", m.messages_received);
    metric("quorum_messages_rejected_total", "counter", "Client messages answered with an error.", m.messages_rejected);
    metric("quorum_votes_total", "counter", "Votes committed.", m.votes);
    metric("quorum_comments_total", "counter", "Comments committed.", m.comments);
    metric("quorum_frames_sent_total", "counter", "Messages queued to clients.", m.frames_sent);
    metric("quorum_resyncs_total", "counter", "Clients resent a snapshot after falling behind.", m.resyncs);
    metric("quorum_store_transactions_total", "counter", "Store transactions (group commits).", commits.transactions);
    metric("quorum_store_events_total", "counter", "Events committed to the store.", commits.events);
    metric("quorum_store_failures_total", "counter", "Store transactions that failed.", commits.failures);
    metric("quorum_store_commit_seconds_total", "counter", "Time spent committing to the store.",
           static_cast<double>(commits.busy_microseconds) / 1e6);
    return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", out, {}, {}};
}

HttpResponse HttpApi::static_file(const std::string& path) {
    if (!files_) return problem(404, "not_found", "no web client is served here");
    // The web client's own routes all load its single page.
    const bool client_route = starts_with(path, "/join/") || starts_with(path, "/facilitate/") ||
                              starts_with(path, "/present/") || path == "/join" ||
                              path == "/new";
    auto file = files_->resolve(client_route ? "/" : path);
    if (!file) return HttpResponse{404, "text/plain; charset=utf-8", "Not found\n", {}, {}};
    HttpResponse r;
    r.content_type = std::string(StaticFiles::content_type(*file));
    r.file_path = file->string();
    return r;
}

}  // namespace quorum
