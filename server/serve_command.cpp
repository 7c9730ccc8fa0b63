// quorum serve: wires the store, the hub, the HTTP API and the network edge together.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "server/cli_args.hpp"
#include "server/commands.hpp"
#include "server/demo_install.hpp"
#include "server/http_api.hpp"
#include "server/hub.hpp"
#include "server/log.hpp"
#include "server/net_server.hpp"
#include "server/origin_policy.hpp"
#include "server/os_random.hpp"
#include "server/static_files.hpp"
#include "sessions/store/sqlite_store.hpp"

namespace quorum {

namespace {

constexpr const char* serve_help = R"(Usage: quorum serve [OPTIONS]

Runs the workshop server: the web client, the API and live WebSocket sessions on one port. Every
vote and comment is committed to the database before it is acknowledged; on start-up every
session is rebuilt from the database and carries on where it was.

Options:
  --host H              address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port P              port to listen on (default 8080; 0 picks a free one)
  --db FILE             SQLite database (default data/quorum.db; created if missing)
  --web-root DIR        folder of the web client to serve (default: the built client if present)
  --durability MODE     full (default): a commit survives power loss; normal: survives a crash
                        of the server, but the last moments may be lost if the machine loses power
  --demo                also create the demonstration workshop (see "quorum demo --help")
  --help                show this help

Hardening (see docs/SECURITY.md):
  --allow-origin LIST   web pages that may open a WebSocket, comma-separated: self (this
                        server's own pages; the default), * (any), or origins such as
                        https://workshop.example.org. Behind a reverse proxy that rewrites the
                        Host header, list the public origin.
  --deny-no-origin      refuse WebSocket clients that send no Origin (browsers always send one;
                        scripts and the load generator do not)
  --max-connections N   open connections at most (default 20000, 0 = no cap; lowered to what
                        the open-file limit allows)
  --max-connections-per-address N
                        open connections from one address at most (default 1000, 0 = no cap;
                        IPv6 counts per /64; loopback is not counted)
  --rate-limit N        messages per second one WebSocket connection may send, sustained
                        (default 50, 0 = no limit); more are answered rate_limited, and a
                        connection that keeps it up is closed with 1008
  --rate-burst N        messages one connection may send at once above the rate (default 200)
)";

std::string default_web_root() {
    for (const auto& candidate : std::vector<std::filesystem::path>{
             "web-client/dist", "web-client/static",
             std::filesystem::path(QUORUM_SOURCE_DIR) / "web-client/dist",
             std::filesystem::path(QUORUM_SOURCE_DIR) / "web-client/static"})
        if (std::filesystem::exists(candidate / "index.html")) return candidate.string();
    return {};
}

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int run_serve(const std::vector<std::string>& argv) {
    CliArgs args(argv,
                 {"host", "port", "db", "web-root", "durability", "allow-origin", "max-connections",
                  "max-connections-per-address", "rate-limit", "rate-burst"},
                 {"demo", "deny-no-origin"});
    if (args.help()) {
        std::cout << serve_help;
        return 0;
    }
    NetOptions net_options;
    net_options.host = args.text("host", "127.0.0.1");
    net_options.port = static_cast<unsigned short>(args.number("port", 8080, 0, 65535));
    if (args.has("allow-origin")) {
        net_options.allowed_origins = OriginPolicy::split_list(args.text("allow-origin", ""));
        try {
            OriginPolicy check(net_options.allowed_origins);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--allow-origin: ") + e.what());
        }
    }
    net_options.allow_missing_origin = !args.has("deny-no-origin");
    net_options.max_connections =
        static_cast<std::size_t>(args.number("max-connections", 20000, 0, 10'000'000));
    net_options.max_connections_per_address =
        static_cast<std::size_t>(args.number("max-connections-per-address", 1000, 0, 10'000'000));
    net_options.message_rate = static_cast<double>(args.number("rate-limit", 50, 0, 1'000'000));
    net_options.message_burst = static_cast<double>(args.number("rate-burst", 200, 1, 1'000'000));
    const auto db = args.text("db", "data/quorum.db");
    const auto durability_name = args.text("durability", "full");
    if (durability_name != "full" && durability_name != "normal")
        throw UsageError("--durability must be full or normal");
    const auto durability = durability_name == "full" ? Durability::full : Durability::normal;
    const auto web_root = args.has("web-root") ? args.text("web-root", "") : default_web_root();
    if (args.has("web-root") && !std::filesystem::is_directory(web_root))
        throw UsageError("--web-root " + web_root + " is not a folder");

    if (auto parent = std::filesystem::path(db).parent_path(); !parent.empty())
        std::filesystem::create_directories(parent);
    std::optional<InstalledDemo> demo;
    if (args.has("demo")) demo = install_demo(db, DemoOptions{});

    SqliteStore store(db, durability);
    // The store's writer thread reports through the network's I/O thread, which exists only
    // while the server does: before and after, reports have nowhere to go (and none are due).
    std::atomic<NetServer*> net{nullptr};
    Hub hub(store, now_ms, os_random_bytes, [&net](std::function<void()> fn) {
        if (auto* server = net.load()) server->post(std::move(fn));
    });
    hub.load_sessions();
    std::optional<StaticFiles> files;
    if (!web_root.empty()) files.emplace(web_root);
    HttpApi api(hub, files ? &*files : nullptr);

    NetHandlers handlers;
    handlers.http = [&api](const HttpRequest& r) { return api.handle(r); };
    handlers.connect = [&hub](std::shared_ptr<ClientSink> sink) {
        return hub.connect(std::move(sink));
    };
    handlers.message = [&hub](ConnectionId id, std::string_view text) { hub.on_message(id, text); };
    handlers.disconnect = [&hub](ConnectionId id) { hub.disconnect(id); };
    handlers.resync = [&hub](ConnectionId id) { hub.resync(id); };
    handlers.refused = [&hub](ConnectionId id, std::string_view text, std::string_view code) {
        hub.refuse(id, text, code);
    };
    handlers.tick = [&hub] { hub.tick(); };
    handlers.shutdown = [&hub] { hub.shutdown(); };
    NetServer server(net_options, handlers);
    net = &server;

    const auto base = "http://" + net_options.host + ":" + std::to_string(server.port());
    std::cout << "Quorum is running at " << base << "  (database " << db << ", durability "
              << durability_name << ")\n";
    if (web_root.empty())
        std::cout << "  No web client found: serving the API and WebSocket only.\n";
    if (demo)
        std::cout << "  Demo session join code: " << demo->code << "\n"
                  << "  Participants join at:   " << base << "/join/" << demo->code << "\n"
                  << "  Facilitator link:       " << base << "/facilitate/" << demo->code << "#"
                  << demo->facilitator_token << "\n";
    std::cout << "Press Ctrl+C to stop." << std::endl;
    log_info("listening on " + net_options.host + ":" + std::to_string(server.port()));
    server.run();
    net = nullptr;
    log_info("stopped");
    return 0;
}

}  // namespace quorum
