#include "server/http_api.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "server/hub.hpp"
#include "server/static_files.hpp"
#include "sessions/store/sqlite_store.hpp"

using namespace quorum;
using nlohmann::json;

namespace {

struct Api {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("quorum-api-test-" + std::to_string(::getpid()));
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<Hub> hub;
    std::unique_ptr<StaticFiles> files;
    std::unique_ptr<HttpApi> api;

    Api() {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir / "web");
        std::ofstream(dir / "web" / "index.html") << "<!doctype html><title>Quorum</title>";
        std::ofstream(dir / "web" / "app.js") << "console.log(1)";
        store = std::make_unique<SqliteStore>((dir / "q.db").string());
        unsigned counter = 0;
        hub = std::make_unique<Hub>(
            *store, [] { return TimeMs{1000}; },
            [counter](std::span<std::uint8_t> out) mutable {
                for (auto& b : out) b = static_cast<std::uint8_t>(++counter * 37);
            },
            [](std::function<void()> f) { f(); });
        files = std::make_unique<StaticFiles>(dir / "web");
        api = std::make_unique<HttpApi>(*hub, files.get());
    }
    ~Api() {
        api.reset();
        hub.reset();
        store.reset();
        std::filesystem::remove_all(dir);
    }
    HttpResponse call(std::string method, std::string target, std::string body = {},
                      std::string auth = {}) {
        return api->handle(HttpRequest{std::move(method), std::move(target), std::move(auth),
                                       std::move(body)});
    }
};

}  // namespace

TEST_CASE("creating a session returns its code and a facilitator token once") {
    Api a;
    auto r = a.call("POST", "/api/sessions",
                    R"({"title":"Leeds workshop","areas":["Leeds","York"],"scenarios":[{"title":"T","description":"D"}]})");
    REQUIRE(r.status == 201);
    auto body = json::parse(r.body);
    const std::string code = body["code"];
    const std::string token = body["facilitator_token"];
    CHECK(body["join_path"] == "/join/" + code);
    CHECK(a.hub->find_session(code)->config().facilitator_token_hash != token);

    auto summary = a.call("GET", "/api/sessions/" + code, "", "Bearer " + token);
    REQUIRE(summary.status == 200);
    CHECK(json::parse(summary.body)["session"]["title"] == "Leeds workshop");
    CHECK(a.call("GET", "/api/sessions/" + code).status == 401);
    CHECK(a.call("GET", "/api/sessions/" + code, "", "Bearer nope").status == 403);
    CHECK(a.call("GET", "/api/sessions/ZZZZZZ", "", "Bearer " + token).status == 403);
}

TEST_CASE("bad session requests get 400 with the problem named") {
    Api a;
    auto r = a.call("POST", "/api/sessions", R"({"title":"T"})");
    CHECK(r.status == 400);
    CHECK(json::parse(r.body)["message"].get<std::string>().find("areas") != std::string::npos);
    CHECK(a.call("POST", "/api/sessions", "not json").status == 400);
    CHECK(a.call("POST", "/api/sessions", R"({"title":"T","areas":["A","A"]})").status == 400);
    CHECK(a.call("GET", "/api/sessions").status == 405);
    CHECK(a.hub->sessions().empty());
}

TEST_CASE("health, metrics and static files") {
    Api a;
    auto health = a.call("GET", "/healthz");
    CHECK(health.status == 200);
    CHECK(json::parse(health.body)["status"] == "ok");
    auto metrics = a.call("GET", "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.content_type.find("text/plain") == 0);
    CHECK(metrics.body.find("quorum_votes_total 0") != std::string::npos);
    auto index = a.call("GET", "/");
    CHECK(index.status == 200);
    CHECK(index.file_path.find("index.html") != std::string::npos);
    CHECK(a.call("GET", "/join/ABC234").file_path == index.file_path);
    CHECK(a.call("GET", "/app.js").content_type.find("javascript") != std::string::npos);
    CHECK(a.call("GET", "/../q.db").status == 404);
    CHECK(a.call("GET", "/%2e%2e/q.db").status == 404);
    CHECK(a.call("GET", "/missing.js").status == 404);
    CHECK(a.call("POST", "/app.js").status == 405);
    CHECK(a.call("GET", "/api/unknown").status == 404);
}
