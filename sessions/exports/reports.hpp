#pragma once
// The findings report, ready to publish: report.md and report.html (one self-contained file with
// inline CSS and SVG, no scripts, printable to PDF). Both say the same things in the same order.
#include <optional>
#include <string>

#include "sessions/aggregate.hpp"

namespace quorum::exports {

/// At most this many comments per test and kind appear in a report (pinned ones always do); the
/// rest are in comments.csv.
constexpr std::size_t report_comments_per_group = 5;

std::string report_markdown(const Findings& findings, std::optional<TimeMs> generated_at);
std::string report_html(const Findings& findings, std::optional<TimeMs> generated_at);

}  // namespace quorum::exports
