// quorum export and quorum report: findings, reports, CSV and transcripts from a database.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "server/cli_args.hpp"
#include "server/commands.hpp"
#include "sessions/event_json.hpp"
#include "sessions/exports/export.hpp"
#include "sessions/store/sqlite_store.hpp"
#include "sessions/tokens.hpp"

namespace quorum {

namespace {

constexpr const char* export_help =
    R"help(Usage: quorum export --db FILE --session CODE --format FORMAT [--out FILE] [--names]
       quorum export --transcript FILE --format FORMAT [--out FILE]

Exports one session from a database (or rebuilds every export from a transcript.jsonl saved
earlier). Participants appear under pseudonyms such as "P07 (Leeds)" unless --names is given; token
hashes never leave the database, and the text of comments the facilitator hid is withheld.
Safe to run while the server is using the database.

Formats:
  findings.json      every finding, in the schema described in docs/FINDINGS.md
  votes.csv          one row per counted vote (each participant's last vote per test and round)
  comments.csv       one row per comment
  report.md          the findings report in Markdown
  report.html        the findings report as one self-contained web page, printable to PDF
  transcript.jsonl   every event, in order (replayable: see --transcript)
  transcript.md      a readable account of the session

Options:
  --db FILE           the SQLite database
  --session CODE      the session's join code
  --transcript FILE   read the events from a transcript.jsonl instead of a database
  --format FORMAT     one of the formats above
  --out FILE          write to FILE instead of standard output
  --names             show the names participants gave instead of pseudonyms
  --help              show this help
)help";

constexpr const char* report_help =
    R"help(Usage: quorum report --db FILE --sessions CODE,CODE,... --format html|md|json [--out FILE] [--names]

Combines several sessions that share a framework (for example one workshop per area) into one
findings report. Scenarios are matched by an explicit id, or else by title (ignoring case and
punctuation); each session's last round with votes is pooled, and areas are compared.

Options:
  --db FILE                the SQLite database
  --sessions CODE,CODE     the join codes of the sessions to combine
  --format html|md|json    report.html, report.md or findings.json
  --out FILE               write to FILE instead of standard output
  --names                  show the names participants gave instead of pseudonyms
  --help                   show this help
)help";

TimeMs now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

exports::Format format_from(const std::string& name) {
    auto format = exports::parse_format(name);
    if (!format)
        throw UsageError("--format must be one of " + exports::format_names() + ", not \"" + name +
                         "\"");
    return *format;
}

std::vector<Event> load_session(SqliteStore& store, const std::string& db,
                                const std::string& typed_code) {
    const auto code = normalise_join_code(typed_code);
    auto log = store.load(code);
    if (log.empty()) throw UsageError("there is no session " + typed_code + " in " + db);
    return log;
}

std::vector<Event> load_transcript(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read the transcript " + path);
    std::vector<Event> log;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        try {
            log.push_back(event_from_json(nlohmann::json::parse(line)));
        } catch (const std::exception& e) {
            throw std::runtime_error(path + " line " + std::to_string(number) +
                                     " is not a Quorum event: " + e.what());
        }
    }
    if (log.empty()) throw std::runtime_error(path + " holds no events");
    return log;
}

SqliteStore open_store(const std::string& db) {
    if (!std::filesystem::exists(db)) throw UsageError("there is no database at " + db);
    return SqliteStore(db);
}

int write(const exports::ExportFile& file, const CliArgs& args) {
    if (!args.has("out")) {
        std::cout << file.content << std::flush;
        return 0;
    }
    const auto path = args.required("out");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << file.content;
    out.close();
    if (!out) throw std::runtime_error("could not write " + path);
    std::cerr << "wrote " << path << " (" << file.content.size() << " bytes)\n";
    return 0;
}

}  // namespace

int run_export(const std::vector<std::string>& argv) {
    CliArgs args(argv, {"db", "session", "transcript", "format", "out"}, {"names"});
    if (args.help()) {
        std::cout << export_help;
        return 0;
    }
    const auto format = format_from(args.required("format"));
    exports::ExportOptions options{args.has("names"), now_ms()};
    std::vector<Event> log;
    if (args.has("transcript")) {
        if (args.has("db") || args.has("session"))
            throw UsageError("give either --transcript or --db and --session, not both");
        log = load_transcript(args.required("transcript"));
    } else {
        const auto db = args.required("db");
        const auto code = args.required("session");
        auto store = open_store(db);
        log = load_session(store, db, code);
    }
    return write(exports::export_session(log, format, options), args);
}

int run_report(const std::vector<std::string>& argv) {
    CliArgs args(argv, {"db", "sessions", "format", "out"}, {"names"});
    if (args.help()) {
        std::cout << report_help;
        return 0;
    }
    const auto db = args.required("db");
    const auto kind = args.required("format");
    std::optional<exports::Format> format;
    if (kind == "html") format = exports::Format::report_html;
    if (kind == "md") format = exports::Format::report_md;
    if (kind == "json") format = exports::Format::findings_json;
    if (!format) throw UsageError("--format must be html, md or json, not \"" + kind + "\"");
    std::vector<std::string> codes;
    const auto list = args.required("sessions");
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        if (end > start) codes.push_back(list.substr(start, end - start));
        start = end + 1;
    }
    if (codes.empty()) throw UsageError("--sessions needs at least one join code");
    auto store = open_store(db);
    std::vector<std::vector<Event>> logs;
    for (const auto& code : codes) logs.push_back(load_session(store, db, code));
    try {
        return write(exports::export_synthesis(logs, *format, {args.has("names"), now_ms()}), args);
    } catch (const std::invalid_argument& e) {
        throw UsageError(e.what());
    }
}

}  // namespace quorum
