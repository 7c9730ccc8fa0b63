#pragma once
// Escaping of user-written text for each export format. Everything a participant or facilitator
// typed goes through one of these before it reaches a file, so no comment can become markup, a
// table cell, a link or a spreadsheet formula.
#include <string>
#include <string_view>
#include <vector>

namespace quorum::exports {

/// Text safe inside HTML elements and quoted attributes (& < > " ' escaped). Control characters
/// other than tab and line breaks become U+FFFD.
std::string html_escape(std::string_view text);

/// Text that renders literally inside a Markdown paragraph, heading, list item or table cell:
/// Markdown's active characters are backslash-escaped and line breaks become spaces.
std::string markdown_inline(std::string_view text);

/// Multi-line text as a Markdown block quote: every line escaped like markdown_inline, prefixed
/// with `prefix` ("> " by default), with hard line breaks between lines.
std::string markdown_quote(std::string_view text, std::string_view prefix = "> ");

/// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
/// A field starting with = + - @ tab or CR, which a spreadsheet would run as a formula, gets a
/// leading apostrophe.
std::string csv_field(std::string_view text);

/// Fields joined by commas and ended with CRLF, each through csv_field.
std::string csv_row(const std::vector<std::string>& fields);

}  // namespace quorum::exports
