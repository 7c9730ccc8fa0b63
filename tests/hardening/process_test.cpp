// Hardening checks against the real `quorum serve`: the Origin allow-list and its options, the
// web root that no request can leave, an accept loop that survives running out of file
// descriptors, and tokens that never reach the log or an export.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "../integration/server_process.hpp"
#include "../integration/ws_client.hpp"
#include "raw_socket.hpp"
#include "sessions/tokens.hpp"

using namespace quorum::hardening;
using namespace quorum::testing;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A script that starts quorum with its stderr appended to `log` (and, when nofile > 0, with
/// that many file descriptors at most): ServerProcess runs it in place of the binary.
std::string wrapper(const std::string& dir, const std::string& log, int nofile = 0) {
    const auto path = dir + "/quorum-wrapper.sh";
    std::ofstream out(path);
    out << "#!/bin/sh\n";
    if (nofile > 0) out << "ulimit -n " << nofile << " || exit 99\n";
    out << "exec '" << quorum_binary() << "' \"$@\" 2>>'" << log << "'\n";
    out.close();
    ::chmod(path.c_str(), 0755);
    return path;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int upgrade_with(unsigned short port, std::optional<std::string> origin,
                 const std::string& host = {}) {
    RawSocket raw(port);
    std::vector<std::pair<std::string, std::string>> headers;
    if (origin) headers.emplace_back("Origin", *origin);
    if (!host.empty()) headers.emplace_back("Host", host);
    return upgrade(raw, port, headers, host.empty());
}

/// Runs quorum with these arguments to completion; returns its exit status.
int run_quorum(const std::string& args) {
    const int status = std::system((quorum_binary() + " " + args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("by default a WebSocket may be opened by the server's own pages and by scripts") {
    const TempDir temp_dir("quorum-origin");
    const auto& dir = temp_dir.path();
    ServerProcess server(quorum_binary(), dir + "/q.db");
    const auto port = server.port();
    const auto self = std::string("http://127.0.0.1:") + std::to_string(port);
    CHECK(upgrade_with(port, self) == 101);
    CHECK(upgrade_with(port, std::nullopt) == 101);
    CHECK(upgrade_with(port, std::string("http://localhost:") + std::to_string(port),
                       std::string("localhost:") + std::to_string(port)) == 101);
    // Another site driving a participant's browser (cross-site WebSocket hijacking).
    CHECK(upgrade_with(port, "https://evil.example") == 403);
    CHECK(upgrade_with(port, "http://127.0.0.1:1") == 403);
    CHECK(upgrade_with(port, "null") == 403);
    CHECK(upgrade_with(port, std::string("http://evil.example:") + std::to_string(port)) == 403);
    // The check is on the WebSocket only: pages and the API do not care about Origin.
    CHECK(http_request(port, "GET", "/healthz").status == 200);
}

TEST_CASE("--allow-origin replaces the default and --deny-no-origin shuts out scripts") {
    const TempDir temp_dir("quorum-origin-list");
    const auto& dir = temp_dir.path();
    ServerProcess server(quorum_binary(), dir + "/q.db",
                         {"--allow-origin", "https://workshop.example.org, http://localhost:5173",
                          "--deny-no-origin"});
    const auto port = server.port();
    CHECK(upgrade_with(port, "https://workshop.example.org") == 101);
    CHECK(upgrade_with(port, "http://localhost:5173") == 101);
    CHECK(upgrade_with(port, std::string("http://127.0.0.1:") + std::to_string(port)) == 403);
    CHECK(upgrade_with(port, std::nullopt) == 403);
    CHECK(upgrade_with(port, "https://evil.example") == 403);

    const auto db = dir + "/other.db";
    CHECK(run_quorum("serve --port 0 --db " + db + " --allow-origin workshop.example.org") == 2);
    CHECK(run_quorum("serve --port 0 --db " + db + " --allow-origin https://a.example/x") == 2);
    CHECK(run_quorum("serve --port 0 --db " + db + " --rate-limit -1") == 2);
    CHECK(run_quorum("serve --port 0 --db " + db + " --max-connections many") == 2);
}

TEST_CASE("no request can leave the web root") {
    const TempDir temp_dir("quorum-webroot");
    const auto& dir = temp_dir.path();
    const fs::path root = dir + "/web";
    fs::create_directories(root / "sub");
    std::ofstream(root / "index.html") << "<!doctype html><title>Quorum</title>";
    std::ofstream(root / "sub" / "a.txt") << "inside";
    std::ofstream(fs::path(dir) / "secret.txt") << "TOP-SECRET";
    fs::create_directories(fs::path(dir) / "outside");
    std::ofstream(fs::path(dir) / "outside" / "secret.txt") << "TOP-SECRET";
    fs::create_symlink(fs::path(dir) / "secret.txt", root / "link.txt");
    fs::create_directory_symlink(fs::path(dir) / "outside", root / "dirlink");
    ServerProcess server(quorum_binary(), dir + "/q.db", {"--web-root", root.string()});
    const auto port = server.port();

    auto raw_get = [&](const std::string& target) {
        RawSocket raw(port);
        raw.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        auto head = raw.read_until("\r\n\r\n");
        std::string rest;
        while (auto more = raw.read_exact(1)) rest += *more;
        return std::pair{head ? std::stoi(head->substr(9, 3)) : 0, rest};
    };
    CHECK(raw_get("/sub/a.txt").first == 200);
    CHECK(raw_get("/").first == 200);
    {
        // Pages cannot be framed by another site, nor leak their address to one.
        RawSocket raw(port);
        raw.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        auto head = raw.read_until("\r\n\r\n");
        REQUIRE(head);
        CHECK(head->find("X-Frame-Options: DENY") != std::string::npos);
        CHECK(head->find("Content-Security-Policy: frame-ancestors 'none'") != std::string::npos);
        CHECK(head->find("Referrer-Policy: no-referrer") != std::string::npos);
        CHECK(head->find("X-Content-Type-Options: nosniff") != std::string::npos);
    }
    for (const std::string& target :
         std::vector<std::string>{"/../secret.txt",
                                  "/sub/../../secret.txt",
                                  "/%2e%2e/secret.txt",
                                  "/%2E%2E/secret.txt",
                                  "/.%2e/secret.txt",
                                  "/%2e%2e%2fsecret.txt",
                                  "/..%2fsecret.txt",
                                  "/sub/%2e%2e/%2e%2e/secret.txt",
                                  "/..\\secret.txt",
                                  "/%5c..%5csecret.txt",
                                  "/sub\\..\\..\\secret.txt",
                                  "/index.html%00.txt",
                                  "/%00",
                                  std::string("/index.html\0.txt", 16),
                                  "/link.txt",
                                  "/dirlink/secret.txt",
                                  "//secret.txt",
                                  "/%2fetc/passwd",
                                  "/%252e%252e/secret.txt",
                                  "/%",
                                  "/%zz",
                                  "/.",
                                  "/./index.html",
                                  "/sub/.",
                                  "http://127.0.0.1/../secret.txt",
                                  "../secret.txt",
                                  std::string("/") + std::string(20, '.') + "/secret.txt",
                                  "/%c0%ae%c0%ae/secret.txt"}) {
        INFO(target);
        auto [status, body] = raw_get(target);
        CHECK((status == 400 || status == 404));
        CHECK(body.find("TOP-SECRET") == std::string::npos);
    }
    CHECK(http_request(port, "GET", "/healthz").status == 200);
}

TEST_CASE("the accept loop survives running out of file descriptors") {
    const TempDir temp_dir("quorum-emfile");
    const auto& dir = temp_dir.path();
    const auto log = dir + "/server.log";
    // No connection cap, and few descriptors: accepting must fail with EMFILE.
    ServerProcess server(wrapper(dir, log, 48), dir + "/q.db", {"--max-connections", "0"});
    const auto port = server.port();
    const auto s = create_session(port, "Hardening");
    {
        std::vector<RawSocket> hog;
        for (int i = 0; i < 80; ++i) hog.emplace_back(port, 2s);
        std::this_thread::sleep_for(1500ms);
        CHECK(read_file(log).find("accept: Too many open files") != std::string::npos);
    }
    // The hogs are gone: within the back-off the server accepts again and works normally.
    bool back = false;
    for (int i = 0; i < 50 && !back; ++i) {
        std::this_thread::sleep_for(100ms);
        try {
            back = http_request(port, "GET", "/healthz").status == 200;
        } catch (const std::exception&) {
        }
    }
    REQUIRE(back);
    WsClient ws(port);
    auto welcome =
        ws.request({{"type", "join"}, {"protocol", 1}, {"code", s.code}, {"area", "Leeds"}});
    CHECK(welcome["type"] == "welcome");
    CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("tokens never appear in the log or in an export") {
    const TempDir temp_dir("quorum-secrets");
    const auto& dir = temp_dir.path();
    const auto log = dir + "/server.log";
    std::vector<std::string> secrets;
    std::string exported;
    {
        ServerProcess server(wrapper(dir, log), dir + "/q.db");
        const auto port = server.port();
        const auto s = create_session(port, "Hardening");
        secrets.push_back(s.token);
        WsClient fac(port);
        REQUIRE(fac.request({{"type", "facilitate"},
                             {"protocol", 1},
                             {"code", s.code},
                             {"token", s.token}})["type"] == "welcome");
        // Wrong tokens are not logged either (they may be a real token for another session).
        WsClient wrong(port);
        // The last character changed (one token in sixteen already ends in "0").
        const std::string near_miss = s.token.substr(0, 31) + (s.token.back() == '0' ? "1" : "0");
        wrong.request(
            {{"type", "facilitate"}, {"protocol", 1}, {"code", s.code}, {"token", near_miss}});
        secrets.push_back(near_miss);
        CHECK(http_request(port, "GET", "/api/sessions/" + s.code, "", "Bearer " + near_miss)
                  .status == 403);
        fac.request({{"type", "open_scenario"}, {"scenario", "s1"}});
        fac.request({{"type", "open_voting"}});
        std::vector<std::unique_ptr<WsClient>> people;
        for (int i = 0; i < 3; ++i) {
            people.push_back(std::make_unique<WsClient>(port));
            auto w = people.back()->request({{"type", "join"},
                                             {"protocol", 1},
                                             {"code", s.code},
                                             {"area", "Leeds"},
                                             {"name", std::string("Person ") + std::to_string(i)}});
            REQUIRE(w["type"] == "welcome");
            secrets.push_back(w["token"]);
            people.back()->request(
                {{"type", "vote"}, {"scenario", "s1"}, {"test", "purposeful"}, {"value", 3}});
            people.back()->request(
                {{"type", "comment"}, {"scenario", "s1"}, {"kind", "risk"}, {"text", "Hm"}});
        }
        WsClient again(port);
        REQUIRE(again.request({{"type", "resume"},
                               {"protocol", 1},
                               {"code", s.code},
                               {"token", secrets.back()}})["type"] == "welcome");
        for (const char* format : {"findings.json", "votes.csv", "comments.csv", "report.md",
                                   "report.html", "transcript.jsonl", "transcript.md"}) {
            INFO(format);
            auto r = http_request(port, "GET",
                                  "/api/sessions/" + s.code + std::string("/export/") +
                                      std::string(format) + "?names=1",
                                  "", "Bearer " + s.token);
            CHECK(r.status == 200);
            exported += r.body;
        }
        auto over_ws = fac.request({{"type", "export"}, {"format", "transcript.jsonl"}});
        exported += over_ws.dump();
        exported +=
            http_request(port, "GET", "/api/sessions/" + s.code, "", "Bearer " + s.token).body;
        CHECK(server.stop(SIGTERM) == 0);
    }
    const auto logged = read_file(log);
    REQUIRE(logged.find("participant 3 joined") != std::string::npos);  // the log was captured
    for (const auto& secret : secrets) {
        INFO(secret);
        CHECK(logged.find(secret) == std::string::npos);
        CHECK(logged.find(quorum::hash_token(secret)) == std::string::npos);
        CHECK(exported.find(secret) == std::string::npos);
        CHECK(exported.find(quorum::hash_token(secret)) == std::string::npos);
    }
}
