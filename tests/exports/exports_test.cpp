#include "sessions/exports/export.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "protocol/decode.hpp"
#include "sessions/demo.hpp"
#include "sessions/event_json.hpp"
#include "workshop_builder.hpp"

using namespace quorum;
using namespace quorum::exports;
using nlohmann::json;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

std::string content(const std::vector<Event>& log, Format f, bool names = false) {
    return export_session(log, f, {names, 1'800'000'000'000}).content;
}

json findings_of(const std::vector<Event>& log) {
    auto j = json::parse(content(log, Format::findings_json));
    j.erase("generated_at");
    return j;
}

/// True when every '<' is backslash-escaped, so Markdown shows it as text, never as HTML.
bool no_raw_html(const std::string& md) {
    for (std::size_t i = 0; i < md.size(); ++i)
        if (md[i] == '<' && (i == 0 || md[i - 1] != '\\')) return false;
    return true;
}

std::vector<Event> read_jsonl(const std::string& text) {
    std::vector<Event> log;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) log.push_back(event_from_json(json::parse(line)));
    return log;
}

const DemoWorkshop& demo() {
    static const auto workshop = build_demo(DemoOptions{60, 7});
    return workshop;
}

}  // namespace

TEST_CASE("format names round-trip") {
    for (auto f :
         {Format::findings_json, Format::votes_csv, Format::comments_csv, Format::report_md,
          Format::report_html, Format::transcript_jsonl, Format::transcript_md})
        CHECK(parse_format(format_name(f)) == f);
    CHECK_FALSE(parse_format("report.pdf"));
    CHECK(format_names().find("transcript.md") != std::string::npos);
}

TEST_CASE("findings.json carries its schema and agrees with votes.csv") {
    const auto& log = demo().log;
    const auto findings = findings_of(log);
    CHECK(findings["schema"] == "quorum.findings/1");
    CHECK(findings["settings"]["min_group_size"] == 5);
    std::size_t counted = 0;
    for (const auto& s : findings["scenarios"])
        for (const auto& r : s["rounds"])
            for (const auto& t : r["tests"]) counted += t["voters"].get<std::size_t>();
    const auto csv = content(log, Format::votes_csv);
    CHECK(csv.rfind(
              "\xEF\xBB\xBFsession,scenario,test,round,area,sector,participant,value,time,name\r\n",
              0) == 0);
    CHECK(count(csv, "\r\n") == counted + 1);
}

TEST_CASE("replaying transcript.jsonl reproduces the same findings") {
    const auto& log = demo().log;
    const auto transcript = content(log, Format::transcript_jsonl);
    const auto replayed = read_jsonl(transcript);
    REQUIRE(replayed.size() == log.size());
    CHECK(findings_of(replayed) == findings_of(log));
    CHECK(content(replayed, Format::report_html) == content(log, Format::report_html));
}

TEST_CASE("no export carries a token hash, and names appear only when asked for") {
    const auto& log = demo().log;
    const auto session = Session::replay(log);
    std::vector<std::string> secrets{session.config().facilitator_token_hash};
    for (const auto& p : session.participants()) secrets.push_back(p.token_hash);
    for (auto f :
         {Format::findings_json, Format::votes_csv, Format::comments_csv, Format::report_md,
          Format::report_html, Format::transcript_jsonl, Format::transcript_md}) {
        const auto text = content(log, f, true);
        CHECK(text.find("token_hash") == std::string::npos);
        for (const auto& secret : secrets) CHECK(text.find(secret) == std::string::npos);
    }
    std::string named;
    for (const auto& p : session.participants())
        if (!p.name.empty()) named = p.name + " (" + session.config().areas[p.area];
    REQUIRE_FALSE(named.empty());
    CHECK(content(log, Format::transcript_md).find(named) == std::string::npos);
    CHECK(content(log, Format::transcript_md, true).find(named) != std::string::npos);
    CHECK(content(log, Format::transcript_jsonl)
              .find("\"name\":\"" + session.participants()[0].name) == std::string::npos);
}

TEST_CASE("report.html has one chart per scenario and test, and nothing that runs") {
    const auto& log = demo().log;
    const auto html = content(log, Format::report_html);
    const auto session = Session::replay(log);
    CHECK(count(html, "class=\"chart\"") ==
          session.scenarios().size() * session.config().framework.tests.size());
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("How to read this report") != std::string::npos);
    CHECK(html.rfind("<!doctype html>", 0) == 0);
}

TEST_CASE("hostile text comes out inert in every format") {
    const auto workshop = testing::hostile_workshop();
    const auto& log = workshop.log();

    const auto html = content(log, Format::report_html);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("<b>Leeds") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("&lt;b&gt;Leeds&lt;/b&gt;") != std::string::npos);
    CHECK(count(html, "class=\"chart\"") == 3);

    const auto md = content(log, Format::report_md);
    CHECK(no_raw_html(md));
    CHECK(md.find("\\<script\\>") != std::string::npos);
    CHECK(md.find("\n# not a heading") == std::string::npos);
    CHECK(md.find("\\# not a heading") != std::string::npos);
    // Every table row keeps its shape: as many unescaped pipes as the header.
    std::istringstream lines(md);
    std::string line;
    std::size_t pipes = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("|", 0) != 0) {
            pipes = 0;
            continue;
        }
        std::size_t n = 0;
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++n;
        if (pipes == 0) pipes = n;
        CHECK(n == pipes);
    }

    const auto transcript = content(log, Format::transcript_md);
    CHECK(no_raw_html(transcript));
    CHECK(transcript.find("\n# not a heading") == std::string::npos);

    for (auto f : {Format::comments_csv, Format::votes_csv}) {
        const auto csv = content(log, f, true);
        CHECK(csv.find(",=") == std::string::npos);
        CHECK(csv.find(",+") == std::string::npos);
        CHECK(csv.find(",-") == std::string::npos);
        CHECK(csv.find(",@") == std::string::npos);
        CHECK(csv.find("\n=") == std::string::npos);
    }
    CHECK(content(log, Format::comments_csv).find("\"'=HYPERLINK(\"\"http://evil.example") !=
          std::string::npos);
}

TEST_CASE("hidden comments are withheld from every export") {
    SessionConfig config;
    config.title = "Moderation";
    config.areas = {"Leeds"};
    config.scenarios = {{"s1", "T", "D", "", "", "", ""}};
    testing::WorkshopBuilder b(config);
    const auto p = b.join("Ann", "Leeds");
    b.facilitate(cmd::OpenScenario{"s1"});
    const auto c = b.comment(p, "s1", "", CommentKind::risk, "Something defamatory");
    b.facilitate(cmd::ModerateComment{c, true, std::nullopt});
    for (auto f : {Format::findings_json, Format::comments_csv, Format::report_md,
                   Format::report_html, Format::transcript_jsonl, Format::transcript_md})
        CHECK(content(b.log(), f, true).find("defamatory") == std::string::npos);
    CHECK(content(b.log(), Format::transcript_md).find("Text withheld") != std::string::npos);
    CHECK(content(b.log(), Format::comments_csv).find(",yes,") != std::string::npos);
}

TEST_CASE("a synthesis of two demo workshops pools matching scenarios") {
    const auto a = build_demo(DemoOptions{30, 11});
    const auto b = build_demo(DemoOptions{30, 12});
    const auto file = export_synthesis({a.log, b.log}, Format::findings_json, {});
    const auto j = json::parse(file.content);
    CHECK(j["sessions"].size() == 2);
    REQUIRE(j["scenarios"].size() == 3);
    const auto fa = findings_of(a.log), fb = findings_of(b.log);
    for (std::size_t s = 0; s < 3; ++s) {
        CHECK(j["scenarios"][s]["sources"].size() == 2);
        for (std::size_t t = 0; t < 3; ++t)
            CHECK(j["scenarios"][s]["result"]["tests"][t]["voters"] ==
                  fa["scenarios"][s]["result"]["tests"][t]["voters"].get<int>() +
                      fb["scenarios"][s]["result"]["tests"][t]["voters"].get<int>());
    }
    CHECK(count(export_synthesis({a.log, b.log}, Format::report_html, {}).content,
                "class=\"chart\"") == 9);
    CHECK_THROWS_AS(export_synthesis({a.log}, Format::votes_csv, {}), std::invalid_argument);
}

TEST_CASE("settings are optional when creating a session, stored, and default for old logs") {
    auto decoded = proto::decode_session_request(
        R"({"title":"T","areas":["A"],"settings":{"meets_median":4.5,"min_consensus":0.7,"min_group_size":8}})");
    REQUIRE(std::holds_alternative<SessionConfig>(decoded));
    auto config = std::get<SessionConfig>(decoded);
    CHECK(config.settings.verdict.meets_median == 4.5);
    CHECK(config.settings.verdict.min_consensus == 0.7);
    CHECK(config.settings.min_group_size == 8);
    CHECK(config.settings.verdict.fails_median == 2.0);
    CHECK(std::holds_alternative<proto::DecodeError>(proto::decode_session_request(
        R"({"title":"T","areas":["A"],"settings":{"min_consensus":2}})")));
    CHECK(std::holds_alternative<proto::DecodeError>(
        proto::decode_session_request(R"({"title":"T","areas":["A"],"settings":{"k":2}})")));
    config.settings.verdict.fails_median = 4.5;  // not below meets
    CHECK(std::holds_alternative<RuleError>(Session::create(config, 1)));

    config.settings.verdict.fails_median = 2;
    config.code = "ABC234";
    const auto stored = config_to_json(config);
    CHECK(config_from_json(stored) == config);
    auto old = stored;
    old.erase("settings");
    CHECK(config_from_json(old).settings == SessionSettings{});
}

TEST_CASE("the export message decodes strictly") {
    auto m = proto::decode(R"({"type":"export","req":3,"format":"report.html","names":true})");
    REQUIRE(std::holds_alternative<proto::ClientMessage>(m));
    const auto& body = std::get<proto::ClientMessage>(m).body;
    REQUIRE(std::holds_alternative<proto::Export>(body));
    CHECK(std::get<proto::Export>(body).format == "report.html");
    CHECK(std::get<proto::Export>(body).names);
    CHECK(std::holds_alternative<proto::DecodeError>(proto::decode(R"({"type":"export"})")));
    CHECK(std::holds_alternative<proto::DecodeError>(
        proto::decode(R"({"type":"export","format":"report.md","pdf":true})")));
}
