#include "sessions/exports/escape.hpp"

namespace quorum::exports {

std::string csv_field(std::string_view text) {
    std::string value;
    // A spreadsheet runs a cell starting with one of these as a formula (e.g. =HYPERLINK(...)).
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
        value += '\'';
    value += text;
    if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_row(const std::vector<std::string>& fields) {
    std::string row;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) row += ',';
        row += csv_field(fields[i]);
    }
    row += "\r\n";
    return row;
}

}  // namespace quorum::exports
