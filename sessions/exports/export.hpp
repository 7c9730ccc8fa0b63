#pragma once
// The one entry point for every export: a format name in, a named file out. The HTTP API, the
// facilitator's WebSocket and the command line all come through here, so they give identical
// files for the same event log.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sessions/events.hpp"

namespace quorum::exports {

enum class Format {
    findings_json,
    votes_csv,
    comments_csv,
    report_md,
    report_html,
    transcript_jsonl,
    transcript_md
};

/// "findings.json", "votes.csv", "comments.csv", "report.md", "report.html", "transcript.jsonl",
/// "transcript.md".
std::string_view format_name(Format format);
std::optional<Format> parse_format(std::string_view name);
/// Every format name, comma-separated, for help and error messages.
std::string format_names();

struct ExportOptions {
    bool names = false;                  // show participants' names instead of pseudonyms
    std::optional<TimeMs> generated_at;  // printed in reports and findings.json when given
};

struct ExportFile {
    std::string filename;      // e.g. "quorum-ABC234-report.html"
    std::string content_type;  // e.g. "text/html; charset=utf-8"
    std::string content;
};

/// One session's export, from its whole event log (which must start with session_created).
ExportFile export_session(const std::vector<Event>& log, Format format,
                          const ExportOptions& options = {});

/// One synthesis of several sessions' logs (see quorum::synthesise). Only findings.json,
/// report.md and report.html make sense across sessions; other formats throw
/// std::invalid_argument, as do sessions that do not share a framework.
ExportFile export_synthesis(const std::vector<std::vector<Event>>& logs, Format format,
                            const ExportOptions& options = {});

}  // namespace quorum::exports
