// The two server routes to exports: GET /api/sessions/{code}/export/{format} and the facilitator's
// WebSocket message {"type":"export"}.
#include "server/http_api.hpp"

#include <unistd.h>
#include <catch2/catch.hpp>
#include <filesystem>

#include "../server/test_hub.hpp"
#include "server/hub.hpp"
#include "sessions/store/sqlite_store.hpp"

using namespace quorum;
using nlohmann::json;
using quorum::testing::RecordingSink;
using quorum::testing::TestHub;

namespace {

struct Server {
    std::filesystem::path db = std::filesystem::temp_directory_path() /
                               ("quorum-export-routes-" + std::to_string(::getpid()) + ".db");
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<TestHub> driver;
    Hub* hub = nullptr;
    std::unique_ptr<HttpApi> api;
    std::string code, token;

    Server() {
        std::filesystem::remove(db);
        store = std::make_unique<SqliteStore>(db.string());
        driver = std::make_unique<TestHub>(*store, 37);
        driver->now = 1'773'136'800'000;
        hub = &driver->hub();
        api = std::make_unique<HttpApi>(*hub, nullptr);
        SessionConfig config;
        config.title = "Routes";
        config.areas = {"Leeds", "York"};
        config.scenarios = {{"s1", "Attendance", "Share attendance.", "", "", "", ""}};
        auto created = std::get<CreatedSession>(hub->create_session(config));
        code = created.code;
        token = created.facilitator_token;
    }
    ~Server() {
        driver->shut_down();
        api.reset();
        driver.reset();
        store.reset();
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(db.string() + suffix);
    }
    void settle() { driver->settle(); }
    HttpResponse get(const std::string& target, const std::string& auth) {
        return api->handle(HttpRequest{"GET", target, auth, ""});
    }
    std::shared_ptr<RecordingSink> connect(const json& hello) {
        auto sink = std::make_shared<RecordingSink>();
        const auto id = hub->connect(sink);
        ids[sink.get()] = id;
        hub->on_message(id, hello.dump());
        settle();
        return sink;
    }
    void send(const std::shared_ptr<RecordingSink>& sink, const json& message) {
        hub->on_message(ids[sink.get()], message.dump());
        settle();
    }
    std::map<RecordingSink*, ConnectionId> ids;
};

std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
        if (n == name) return v;
    return {};
}

}  // namespace

TEST_CASE("GET /api/sessions/{code}/export/{format} needs the facilitator token") {
    Server s;
    s.connect(
        {{"type", "join"}, {"protocol", 1}, {"code", s.code}, {"name", "Zed"}, {"area", "York"}});
    const auto base = "/api/sessions/" + s.code + "/export/";
    const auto bearer = "Bearer " + s.token;

    auto r = s.get(base + "report.html", bearer);
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "text/html; charset=utf-8");
    CHECK(header(r, "Content-Disposition") ==
          "attachment; filename=\"quorum-" + s.code + "-report.html\"");
    CHECK(r.body.find("Routes") != std::string::npos);

    CHECK(s.get(base + "report.html", "").status == 401);
    CHECK(s.get(base + "report.html", "Bearer wrong").status == 403);
    CHECK(s.get("/api/sessions/ZZZZZZ/export/report.html", bearer).status == 403);
    CHECK(s.get(base + "report.pdf", bearer).status == 404);
    CHECK(s.get("/api/sessions/" + s.code + "/other", bearer).status == 404);

    const auto csv = s.get(base + "votes.csv", bearer);
    CHECK(csv.content_type.rfind("text/csv", 0) == 0);
    CHECK(s.get(base + "transcript.md", bearer).body.find("Zed") == std::string::npos);
    CHECK(s.get(base + "transcript.md?names=1", bearer).body.find("Zed (York)") !=
          std::string::npos);
    const auto jsonl = s.get(base + "transcript.jsonl", bearer).body;
    CHECK(jsonl.find("token_hash") == std::string::npos);
    CHECK(jsonl.find("\"type\":\"participant_joined\"") != std::string::npos);  // it is durable
}

TEST_CASE("the facilitator can export over the WebSocket; participants cannot") {
    Server s;
    auto facilitator =
        s.connect({{"type", "facilitate"}, {"protocol", 1}, {"code", s.code}, {"token", s.token}});
    auto participant = s.connect(
        {{"type", "join"}, {"protocol", 1}, {"code", s.code}, {"name", "Zed"}, {"area", "York"}});

    s.send(facilitator, {{"type", "export"}, {"req", 7}, {"format", "report.md"}});
    auto reply = facilitator->last_of("export");
    REQUIRE(reply);
    CHECK((*reply)["req"] == 7);
    CHECK((*reply)["format"] == "report.md");
    CHECK((*reply)["content_type"] == "text/markdown; charset=utf-8");
    CHECK((*reply)["filename"] == "quorum-" + s.code + "-report.md");
    CHECK((*reply)["content"].get<std::string>().rfind("# Routes", 0) == 0);

    s.send(facilitator,
           {{"type", "export"}, {"req", 8}, {"format", "transcript.md"}, {"names", true}});
    CHECK(facilitator->last_of("export")->at("content").get<std::string>().find("Zed (York)") !=
          std::string::npos);

    s.send(facilitator, {{"type", "export"}, {"req", 9}, {"format", "report.exe"}});
    CHECK(facilitator->last_of("error")->at("code") == "invalid_value");

    s.send(participant, {{"type", "export"}, {"req", 10}, {"format", "report.md"}});
    CHECK(participant->last_of("error")->at("code") == "not_facilitator");
    CHECK_FALSE(participant->last_of("export"));
}
