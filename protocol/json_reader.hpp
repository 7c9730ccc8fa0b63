#pragma once
// Reads the fields of one JSON object, checking types and limits, and remembers which fields it
// read so that unknown ones can be refused. Problems throw Invalid, caught at the decoder's edge.
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace quorum::proto {

struct Invalid : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class JsonReader {
public:
    /// `where` names the object in messages, e.g. "the vote" or "scenario 2".
    JsonReader(const nlohmann::json& object, std::string where);

    std::string text(const char* key, std::size_t max_bytes);  // required, non-blank
    std::optional<std::string> optional_text(const char* key, std::size_t max_bytes);
    std::int64_t integer(const char* key, std::int64_t min, std::int64_t max);
    std::optional<std::int64_t> optional_integer(const char* key, std::int64_t min,
                                                 std::int64_t max);
    std::optional<bool> optional_boolean(const char* key);
    /// A required array of strings (each non-blank, within max_bytes), at most max_items long.
    std::vector<std::string> text_list(const char* key, std::size_t max_items,
                                       std::size_t max_bytes);
    /// The raw value of an optional field (marked as read), or null.
    const nlohmann::json* optional_value(const char* key);
    const nlohmann::json& value(const char* key);
    /// Refuses fields that were never read.
    void finish() const;

private:
    const nlohmann::json& object_;
    std::string where_;
    std::set<std::string> read_;

    [[noreturn]] void fail(const std::string& problem) const;
    std::string checked_text(const nlohmann::json& v, const std::string& what,
                             std::size_t max_bytes) const;
};

}  // namespace quorum::proto
