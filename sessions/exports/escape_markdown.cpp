#include "sessions/exports/escape.hpp"

namespace quorum::exports {
namespace {

/// Characters that start emphasis, code, links, raw HTML, entities, headings, strikethrough or
/// table cells anywhere in a line. CommonMark lets any ASCII punctuation be backslash-escaped.
bool always_escaped(char c) {
    switch (c) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<':
        case '>':
        case '|':
        case '~':
        case '&':
        case '#':
            return true;
        default:
            return false;
    }
}

/// Escapes one line, which may be placed at the start of a Markdown line: leading spaces (code
/// blocks) are dropped and a leading list, heading or setext marker is escaped.
std::string escape_line(std::string_view line) {
    std::size_t start = 0;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    line.remove_prefix(start);
    std::string out;
    out.reserve(line.size() + 8);
    // "1." or "1)" at the start of a line opens an ordered list.
    std::size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\t') {
            out += ' ';
            continue;
        }
        const bool line_marker = (i == 0 && (c == '-' || c == '+' || c == '=')) ||
                                 (digits > 0 && i == digits && (c == '.' || c == ')'));
        if (always_escaped(c) || line_marker) out += '\\';
        out += c;
    }
    return out;
}

/// The text split into lines at LF, CR LF or CR.
std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\n' && text[i] != '\r') continue;
        lines.push_back(text.substr(start, i - start));
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        start = i + 1;
    }
    lines.push_back(text.substr(start));
    return lines;
}

}  // namespace

std::string markdown_inline(std::string_view text) {
    std::string joined;
    for (const auto line : lines_of(text)) {
        if (!joined.empty()) joined += ' ';
        joined += line;
    }
    return escape_line(joined);
}

std::string markdown_quote(std::string_view text, std::string_view prefix) {
    std::vector<std::string> kept;
    for (const auto line : lines_of(text)) {
        auto escaped = escape_line(line);
        if (!escaped.empty()) kept.push_back(std::move(escaped));
    }
    std::string out;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        out += prefix;
        out += kept[i];
        if (i + 1 < kept.size()) out += '\\';  // a hard line break inside the quote
        out += '\n';
    }
    return out;
}

}  // namespace quorum::exports
