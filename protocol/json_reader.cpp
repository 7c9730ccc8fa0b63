#include "protocol/json_reader.hpp"

#include "sessions/text.hpp"

namespace quorum::proto {

JsonReader::JsonReader(const nlohmann::json& object, std::string where)
    : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) fail("must be a JSON object");
}

void JsonReader::fail(const std::string& problem) const { throw Invalid(where_ + " " + problem); }

std::string JsonReader::checked_text(const nlohmann::json& v, const std::string& what,
                                     std::size_t max_bytes) const {
    if (!v.is_string()) fail("field \"" + what + "\" must be a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max_bytes)
        fail("field \"" + what + "\" is longer than " + std::to_string(max_bytes) + " bytes");
    if (!is_valid_utf8(s)) fail("field \"" + what + "\" is not valid UTF-8");
    return s;
}

const nlohmann::json* JsonReader::optional_value(const char* key) {
    read_.insert(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
}

const nlohmann::json& JsonReader::value(const char* key) {
    const auto* v = optional_value(key);
    if (!v) fail(std::string("needs the field \"") + key + "\"");
    return *v;
}

std::string JsonReader::text(const char* key, std::size_t max_bytes) {
    auto s = checked_text(value(key), key, max_bytes);
    if (is_blank(s)) fail(std::string("field \"") + key + "\" must not be empty");
    return s;
}

std::optional<std::string> JsonReader::optional_text(const char* key, std::size_t max_bytes) {
    const auto* v = optional_value(key);
    if (!v) return std::nullopt;
    return checked_text(*v, key, max_bytes);
}

std::int64_t JsonReader::integer(const char* key, std::int64_t min, std::int64_t max) {
    auto v = optional_integer(key, min, max);
    if (!v) fail(std::string("needs the field \"") + key + "\"");
    return *v;
}

std::optional<std::int64_t> JsonReader::optional_integer(const char* key, std::int64_t min,
                                                         std::int64_t max) {
    const auto* v = optional_value(key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) fail(std::string("field \"") + key + "\" must be a whole number");
    const auto n = v->is_number_unsigned()
                       ? (v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
                              ? max + 1
                              : static_cast<std::int64_t>(v->get<std::uint64_t>()))
                       : v->get<std::int64_t>();
    if (n < min || n > max)
        fail(std::string("field \"") + key + "\" must be between " + std::to_string(min) +
             " and " + std::to_string(max));
    return n;
}

std::optional<bool> JsonReader::optional_boolean(const char* key) {
    const auto* v = optional_value(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) fail(std::string("field \"") + key + "\" must be true or false");
    return v->get<bool>();
}

std::vector<std::string> JsonReader::text_list(const char* key, std::size_t max_items,
                                               std::size_t max_bytes) {
    const auto& v = value(key);
    if (!v.is_array()) fail(std::string("field \"") + key + "\" must be a list");
    if (v.size() > max_items)
        fail(std::string("field \"") + key + "\" may have at most " + std::to_string(max_items) +
             " entries");
    std::vector<std::string> out;
    for (const auto& item : v) {
        auto s = checked_text(item, key, max_bytes);
        if (is_blank(s)) fail(std::string("field \"") + key + "\" has an empty entry");
        out.push_back(std::move(s));
    }
    return out;
}

void JsonReader::finish() const {
    for (const auto& [key, _] : object_.items())
        if (!read_.count(key)) fail("has an unknown field \"" + key + "\"");
}

}  // namespace quorum::proto
