#include "sessions/exports/export.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sessions/aggregate.hpp"
#include "sessions/exports/csv_exports.hpp"
#include "sessions/exports/findings_json.hpp"
#include "sessions/exports/reports.hpp"
#include "sessions/exports/transcripts.hpp"

namespace quorum::exports {
namespace {

struct FormatInfo {
    Format format;
    std::string_view name;
    std::string_view content_type;
};

constexpr std::array<FormatInfo, 7> formats{{
    {Format::findings_json, "findings.json", "application/json; charset=utf-8"},
    {Format::votes_csv, "votes.csv", "text/csv; charset=utf-8; header=present"},
    {Format::comments_csv, "comments.csv", "text/csv; charset=utf-8; header=present"},
    {Format::report_md, "report.md", "text/markdown; charset=utf-8"},
    {Format::report_html, "report.html", "text/html; charset=utf-8"},
    {Format::transcript_jsonl, "transcript.jsonl", "application/x-ndjson; charset=utf-8"},
    {Format::transcript_md, "transcript.md", "text/markdown; charset=utf-8"},
}};

const FormatInfo& info(Format format) {
    for (const auto& f : formats)
        if (f.format == format) return f;
    throw std::logic_error("unknown export format");
}

/// Formats that come from findings alone, and so also from a synthesis.
std::string from_findings(const Findings& findings, Format format, const ExportOptions& options) {
    switch (format) {
        case Format::findings_json:
            return findings_to_json(findings, options.generated_at).dump(2) + "\n";
        case Format::report_md:
            return report_markdown(findings, options.generated_at);
        case Format::report_html:
            return report_html(findings, options.generated_at);
        default:
            throw std::invalid_argument(std::string(format_name(format)) +
                                        " is made for one session at a time; a report across "
                                        "sessions can be findings.json, report.md or report.html");
    }
}

}  // namespace

std::string_view format_name(Format format) {
    return info(format).name;
}

std::optional<Format> parse_format(std::string_view name) {
    for (const auto& f : formats)
        if (f.name == name) return f.format;
    return std::nullopt;
}

std::string format_names() {
    std::string out;
    for (const auto& f : formats) out += (out.empty() ? "" : ", ") + std::string(f.name);
    return out;
}

ExportFile export_session(const std::vector<Event>& log, Format format,
                          const ExportOptions& options) {
    const auto session = Session::replay(log);
    ExportFile file;
    file.filename = "quorum-" + session.code() + "-" + std::string(format_name(format));
    file.content_type = std::string(info(format).content_type);
    switch (format) {
        case Format::votes_csv:
            file.content = votes_csv(log, session, options.names);
            break;
        case Format::comments_csv:
            file.content = comments_csv(session, options.names);
            break;
        case Format::transcript_jsonl:
            file.content = transcript_jsonl(log, session, options.names);
            break;
        case Format::transcript_md:
            file.content = transcript_markdown(
                log, session, build_findings(session, {options.names}), options.names);
            break;
        default:
            file.content = from_findings(build_findings(session, {options.names}), format, options);
    }
    return file;
}

ExportFile export_synthesis(const std::vector<std::vector<Event>>& logs, Format format,
                            const ExportOptions& options) {
    std::vector<Session> sessions;
    sessions.reserve(logs.size());
    for (const auto& log : logs) sessions.push_back(Session::replay(log));
    std::vector<const Session*> pointers;
    std::string codes;
    for (const auto& s : sessions) {
        pointers.push_back(&s);
        codes += (codes.empty() ? "" : "-") + s.code();
    }
    ExportFile file;
    file.content = from_findings(synthesise(pointers, {options.names}), format, options);
    file.filename = "quorum-" + codes + "-" + std::string(format_name(format));
    file.content_type = std::string(info(format).content_type);
    return file;
}

}  // namespace quorum::exports
