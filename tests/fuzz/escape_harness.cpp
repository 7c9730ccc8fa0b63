// Fuzz target 2: the export escapers (sessions/exports/escape.hpp) on arbitrary bytes.
#include <string>
#include <string_view>
#include <vector>

#include "harnesses.hpp"
#include "sessions/exports/escape.hpp"

namespace quorum::fuzz {
namespace {

void check(bool ok, const std::string& what, std::string_view input) {
    if (!ok) {
        std::string shown;
        for (char c : input.substr(0, 120))
            shown += (c >= 0x20 && c < 0x7f)
                         ? std::string(1, c)
                         : "\\x" + std::string(1, "0123456789abcdef"[(c >> 4) & 15]) +
                               "0123456789abcdef"[c & 15];
        throw InvariantBroken(what + " (input: \"" + shown + "\")");
    }
}

bool markdown_active(char c) {
    return std::string_view("\\`*_[]<>|~&#").find(c) != std::string_view::npos;
}

bool ascii_punctuation(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

/// One escaped Markdown line: every active character is backslash-escaped, a backslash only
/// ever escapes punctuation (or ends the line as a hard break when `hard_break_allowed`), and
/// the line cannot open a block (indented code, list, heading, quote, setext underline).
void check_markdown_line(std::string_view line, bool hard_break_allowed, std::string_view input) {
    check(line.find('\n') == std::string_view::npos && line.find('\r') == std::string_view::npos,
          "a Markdown line holds a line break", input);
    check(line.find('\t') == std::string_view::npos, "a tab survived in Markdown", input);
    if (!line.empty()) {
        check(line.front() != ' ', "a Markdown line starts with a space (code block)", input);
        check(line.front() != '-' && line.front() != '+' && line.front() != '=',
              "a Markdown line starts with a list or setext marker", input);
    }
    std::size_t digits = 0;
    while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
    if (digits > 0 && digits < line.size())
        check(line[digits] != '.' && line[digits] != ')', "a Markdown line starts an ordered list",
              input);
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\') {
            if (i + 1 == line.size()) {
                check(hard_break_allowed, "a Markdown line ends in a lone backslash", input);
                break;
            }
            check(ascii_punctuation(line[i + 1]), "a backslash escapes a non-punctuation character",
                  input);
            ++i;
            continue;
        }
        check(!markdown_active(line[i]), std::string("an unescaped '") + line[i] + "' in Markdown",
              input);
    }
}

void check_html(std::string_view text) {
    const auto out = exports::html_escape(text);
    static const std::vector<std::string_view> entities{"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
    std::string decoded;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        check(c != '<' && c != '>' && c != '"' && c != '\'', "a markup character survived in HTML",
              text);
        check(static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r',
              "a control character survived in HTML", text);
        if (c == '&') {
            bool known = false;
            for (auto e : entities)
                if (out.compare(i, e.size(), e) == 0) {
                    decoded += e == "&amp;"    ? '&'
                               : e == "&lt;"   ? '<'
                               : e == "&gt;"   ? '>'
                               : e == "&quot;" ? '"'
                                               : '\'';
                    i += e.size() - 1;
                    known = true;
                    break;
                }
            check(known, "an unknown entity in HTML", text);
            continue;
        }
        decoded += c;
    }
    // Nothing but the control characters is lost.
    std::string expected;
    for (char c : text)
        expected += (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                        ? std::string("\xEF\xBF\xBD")
                        : std::string(1, c);
    check(decoded == expected, "HTML escaping lost or changed text", text);
}

/// RFC 4180 parser for one row ending in CRLF.
std::vector<std::string> parse_csv_row(std::string_view row, std::string_view input) {
    check(row.size() >= 2 && row.substr(row.size() - 2) == "\r\n", "a CSV row does not end in CRLF",
          input);
    row.remove_suffix(2);
    std::vector<std::string> fields;
    std::size_t i = 0;
    for (;;) {
        std::string field;
        if (i < row.size() && row[i] == '"') {
            ++i;
            for (;;) {
                check(i < row.size(), "an unterminated quoted CSV field", input);
                if (row[i] == '"') {
                    if (i + 1 < row.size() && row[i + 1] == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += row[i++];
            }
            check(i == row.size() || row[i] == ',', "text after a quoted CSV field", input);
        } else {
            while (i < row.size() && row[i] != ',') {
                check(row[i] != '"' && row[i] != '\r' && row[i] != '\n',
                      "a quote or line break in an unquoted CSV field", input);
                field += row[i++];
            }
        }
        fields.push_back(std::move(field));
        if (i == row.size()) break;
        ++i;  // the comma
    }
    return fields;
}

void check_csv(std::string_view text) {
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (;;) {
        const auto end = text.find('\x1f', start);
        fields.emplace_back(text.substr(
            start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    const auto parsed = parse_csv_row(exports::csv_row(fields), text);
    check(parsed.size() == fields.size(), "a CSV row parses into another number of fields", text);
    for (std::size_t i = 0; i < fields.size() && i < parsed.size(); ++i) {
        const auto& original = fields[i];
        const auto& cell = parsed[i];
        const bool formula =
            !original.empty() &&
            std::string_view("=+-@\t\r").find(original.front()) != std::string_view::npos;
        check(cell == (formula ? "'" + original : original), "a CSV field changed", text);
        if (!cell.empty())
            check(std::string_view("=+-@\t\r").find(cell.front()) == std::string_view::npos,
                  "a CSV cell starts like a formula", text);
    }
}

void check_markdown(std::string_view text) {
    check_markdown_line(exports::markdown_inline(text), false, text);
    const auto quote = exports::markdown_quote(text);
    std::size_t start = 0;
    while (start < quote.size()) {
        const auto end = quote.find('\n', start);
        check(end != std::string::npos, "a Markdown quote does not end in a line break", text);
        auto line = std::string_view(quote).substr(start, end - start);
        check(line.substr(0, 2) == "> ", "a Markdown quote line without its prefix", text);
        line.remove_prefix(2);
        check(!line.empty(), "an empty line inside a Markdown quote", text);
        check_markdown_line(line, end + 1 < quote.size(), text);
        start = end + 1;
    }
}

}  // namespace

int escapers(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_html(text);
    check_markdown(text);
    check_csv(text);
    return 0;
}

}  // namespace quorum::fuzz
