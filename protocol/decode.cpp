#include "protocol/decode.hpp"

#include <functional>
#include <map>

#include "protocol/json_reader.hpp"
#include "protocol/plain_vote.hpp"
#include "sessions/limits.hpp"
#include "sessions/tokens.hpp"

namespace quorum::proto {
namespace {

using nlohmann::json;

constexpr std::size_t id_bytes = 64;      // scenario, test ids; request ids
constexpr std::size_t token_bytes = 128;  // tokens and join codes

/// Nesting depth of the JSON text, ignoring brackets inside strings. Linear and non-recursive.
int nesting_depth(std::string_view text) {
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::optional<json> parse_limited(std::string_view text, DecodeError& error) {
    if (nesting_depth(text) > max_depth) {
        error = {"too_deep",
                 "the message is nested more than " + std::to_string(max_depth) + " levels deep",
                 nullptr};
        return std::nullopt;
    }
    auto j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
        error = {"bad_json", "the message is not valid JSON", nullptr};
        return std::nullopt;
    }
    return j;
}

std::string test_id(JsonReader& r, const char* key = "test") {
    return r.text(key, id_bytes);
}

int vote_value(const json& v) {
    if (v.is_string() && v.get_ref<const std::string&>() == "cant_say") return cant_say;
    if (v.is_number_integer()) {
        const auto n = v.get<std::int64_t>();
        if (n >= scale_min && n <= scale_max) return static_cast<int>(n);
    }
    throw Invalid("the vote's \"value\" must be a whole number from 1 to 5, or \"cant_say\"");
}

Scenario read_scenario(const json& j, const std::string& where, bool id_required) {
    JsonReader r(j, where);
    Scenario s;
    s.id = id_required ? r.text("id", id_bytes) : r.optional_text("id", id_bytes).value_or("");
    s.title = r.text("title", limits::short_text);
    s.description = r.text("description", limits::scenario_text);
    s.data_involved = r.optional_text("data_involved", limits::scenario_text).value_or("");
    s.sharing = r.optional_text("sharing", limits::scenario_text).value_or("");
    s.purpose = r.optional_text("purpose", limits::scenario_text).value_or("");
    s.theme = r.optional_text("theme", limits::short_text).value_or("");
    r.finish();
    return s;
}

void check_protocol(JsonReader& r) {
    const auto* v = r.optional_value("protocol");
    if (!v) throw Invalid("joining needs the field \"protocol\" (this server speaks version 1)");
    if (!v->is_number_integer() || v->get<std::int64_t>() != version)
        throw DecodeError{"unsupported_protocol",
                          "this server speaks protocol version " + std::to_string(version) +
                              "; please reload the page to get the current client",
                          nullptr};
}

std::optional<Seq> last_seq(JsonReader& r) {
    auto v = r.optional_integer("last_seq", 0, std::numeric_limits<std::int64_t>::max());
    return v ? std::optional<Seq>(static_cast<Seq>(*v)) : std::nullopt;
}

/// An optional number within [min, max]; the JSON reader only knows whole numbers.
std::optional<double> optional_number(JsonReader& r, const char* key, double min, double max) {
    const auto* v = r.optional_value(key);
    if (!v) return std::nullopt;
    if (!v->is_number() || v->get<double>() < min || v->get<double>() > max)
        throw Invalid(std::string("the setting \"") + key + "\" must be a number from " +
                      nlohmann::json(min).dump() + " to " + nlohmann::json(max).dump());
    return v->get<double>();
}

SessionSettings read_settings(const json& j) {
    JsonReader r(j, "the settings");
    SessionSettings s;
    auto& v = s.verdict;
    v.meets_median = optional_number(r, "meets_median", 1, 5).value_or(v.meets_median);
    v.fails_median = optional_number(r, "fails_median", 1, 5).value_or(v.fails_median);
    v.min_consensus = optional_number(r, "min_consensus", 0, 1).value_or(v.min_consensus);
    v.polarised_share = optional_number(r, "polarised_share", 0, 0.5).value_or(v.polarised_share);
    if (auto n = r.optional_integer("min_opinions", 1, 10000))
        v.min_opinions = static_cast<std::uint32_t>(*n);
    if (auto n = r.optional_integer("min_group_size", 1, 1000))
        s.min_group_size = static_cast<std::uint32_t>(*n);
    r.finish();
    return s;
}

using BodyReader = std::function<Body(JsonReader&)>;

const std::map<std::string, BodyReader, std::less<>>& readers() {
    static const std::map<std::string, BodyReader, std::less<>> table{
        {"join",
         [](JsonReader& r) -> Body {
             check_protocol(r);
             Join m;
             m.code = normalise_join_code(r.text("code", token_bytes));
             m.name = r.optional_text("name", limits::display_name).value_or("");
             m.area = r.text("area", limits::short_text);
             if (auto s = r.optional_text("sector", id_bytes)) {
                 auto sector = parse_sector(*s);
                 if (!sector)
                     throw Invalid(
                         "the \"sector\" must be public, voluntary, other or unspecified");
                 m.sector = *sector;
             }
             if (auto s = r.optional_text("role", id_bytes)) {
                 auto role = parse_role(*s);
                 if (!role) throw Invalid("the \"role\" must be participant or observer");
                 m.role = *role;
             }
             return m;
         }},
        {"resume",
         [](JsonReader& r) -> Body {
             check_protocol(r);
             return Resume{normalise_join_code(r.text("code", token_bytes)),
                           r.text("token", token_bytes), last_seq(r)};
         }},
        {"facilitate",
         [](JsonReader& r) -> Body {
             check_protocol(r);
             return Facilitate{normalise_join_code(r.text("code", token_bytes)),
                               r.text("token", token_bytes), last_seq(r)};
         }},
        {"present",
         [](JsonReader& r) -> Body {
             check_protocol(r);
             return Present{normalise_join_code(r.text("code", token_bytes)), last_seq(r)};
         }},
        {"ping", [](JsonReader&) -> Body { return Ping{}; }},
        {"lookup",
         [](JsonReader& r) -> Body {
             return Lookup{normalise_join_code(r.text("code", token_bytes))};
         }},
        {"export",
         [](JsonReader& r) -> Body {
             return Export{r.text("format", id_bytes), r.optional_boolean("names").value_or(false)};
         }},
        {"vote",
         [](JsonReader& r) -> Body {
             cmd::CastVote c;
             c.scenario = r.text("scenario", id_bytes);
             c.test = test_id(r);
             c.value = vote_value(r.value("value"));
             if (auto round = r.optional_integer("round", 1, 1000))
                 c.round = static_cast<int>(*round);
             c.client_id = r.optional_text("client_id", limits::client_id).value_or("");
             return Command{c};
         }},
        {"comment",
         [](JsonReader& r) -> Body {
             cmd::AddComment c;
             c.scenario = r.text("scenario", id_bytes);
             c.test = r.optional_text("test", id_bytes).value_or("");
             auto kind = parse_comment_kind(r.text("kind", id_bytes));
             if (!kind)
                 throw Invalid(
                     "the comment's \"kind\" must be benefit, risk, question or suggestion");
             c.kind = *kind;
             c.text = r.text("text", limits::comment_text);
             c.client_id = r.optional_text("client_id", limits::client_id).value_or("");
             return Command{c};
         }},
        {"endorse",
         [](JsonReader& r) -> Body {
             return Command{cmd::Endorse{static_cast<CommentId>(r.integer("comment", 1, 1 << 30))}};
         }},
        {"open_scenario",
         [](JsonReader& r) -> Body {
             return Command{cmd::OpenScenario{r.text("scenario", id_bytes)}};
         }},
        {"next_scenario", [](JsonReader&) -> Body { return Command{cmd::NextScenario{}}; }},
        {"open_voting",
         [](JsonReader& r) -> Body {
             return Command{cmd::OpenVoting{r.optional_text("test", id_bytes)}};
         }},
        {"close_voting",
         [](JsonReader& r) -> Body {
             return Command{cmd::CloseVoting{r.optional_text("test", id_bytes)}};
         }},
        {"reveal", [](JsonReader&) -> Body { return Command{cmd::Reveal{}}; }},
        {"new_round", [](JsonReader&) -> Body { return Command{cmd::NewRound{}}; }},
        {"end_session", [](JsonReader&) -> Body { return Command{cmd::EndSession{}}; }},
        {"set_visibility",
         [](JsonReader& r) -> Body {
             cmd::SetVisibility c{r.optional_boolean("live_results"),
                                  r.optional_boolean("show_comments")};
             if (!c.live_results && !c.show_comments)
                 throw Invalid("set_visibility needs \"live_results\" or \"show_comments\"");
             return Command{c};
         }},
        {"moderate_comment",
         [](JsonReader& r) -> Body {
             cmd::ModerateComment c{static_cast<CommentId>(r.integer("comment", 1, 1 << 30)),
                                    r.optional_boolean("hidden"), r.optional_boolean("pinned")};
             if (!c.hidden && !c.pinned)
                 throw Invalid("moderate_comment needs \"hidden\" or \"pinned\"");
             return Command{c};
         }},
        {"add_scenario",
         [](JsonReader& r) -> Body {
             return Command{
                 cmd::AddScenario{read_scenario(r.value("scenario"), "the scenario", false)}};
         }},
        {"update_scenario",
         [](JsonReader& r) -> Body {
             return Command{
                 cmd::UpdateScenario{read_scenario(r.value("scenario"), "the scenario", true)}};
         }},
        {"reorder_scenarios",
         [](JsonReader& r) -> Body {
             return Command{
                 cmd::ReorderScenarios{r.text_list("order", limits::scenarios, id_bytes)}};
         }},
    };
    return table;
}

json read_req(const json& j) {
    auto it = j.find("req");
    if (it == j.end() || it->is_null()) return nullptr;
    if (it->is_number_integer()) return *it;
    if (it->is_string() && it->get_ref<const std::string&>().size() <= id_bytes) return *it;
    throw Invalid("the field \"req\" must be a whole number or a short string");
}

}  // namespace

std::variant<ClientMessage, DecodeError> decode(std::string_view text) {
    // Votes are most of the traffic: the plain ones skip the JSON tree (same result).
    if (auto vote = decode_plain_vote(text)) return std::move(*vote);
    return decode_tree(text);
}

std::variant<ClientMessage, DecodeError> decode_tree(std::string_view text) {
    DecodeError error;
    auto parsed = parse_limited(text, error);
    if (!parsed) return error;
    const json& j = *parsed;
    json req = nullptr;
    try {
        if (!j.is_object()) throw Invalid("a message must be a JSON object");
        req = read_req(j);
        auto type_it = j.find("type");
        if (type_it == j.end() || !type_it->is_string())
            throw Invalid("a message needs a \"type\"");
        const auto& type = type_it->get_ref<const std::string&>();
        auto reader = readers().find(type);
        if (reader == readers().end())
            return DecodeError{"unknown_type",
                               "there is no message type \"" + type.substr(0, 64) + "\"", req};
        JsonReader r(j, "the " + type + " message");
        r.optional_value("type");
        r.optional_value("req");
        auto body = reader->second(r);
        r.finish();
        return ClientMessage{req, std::move(body)};
    } catch (const Invalid& e) {
        return DecodeError{"bad_message", e.what(), req};
    } catch (DecodeError& e) {
        e.req = req;
        return e;
    }
}

std::variant<SessionConfig, DecodeError> decode_session_request(std::string_view body) {
    DecodeError error;
    auto parsed = parse_limited(body, error);
    if (!parsed) return error;
    try {
        JsonReader r(*parsed, "the session");
        SessionConfig config;
        config.title = r.text("title", limits::title);
        config.areas = r.text_list("areas", limits::areas, limits::short_text);
        if (const auto* fw = r.optional_value("framework")) {
            JsonReader f(*fw, "the framework");
            config.framework.name = f.optional_text("name", limits::short_text).value_or("Custom");
            const auto& tests = f.value("tests");
            if (!tests.is_array()) throw Invalid("the framework's \"tests\" must be a list");
            if (tests.size() > limits::tests)
                throw Invalid("a framework may have at most " + std::to_string(limits::tests) +
                              " tests");
            int n = 0;
            for (const auto& t : tests) {
                JsonReader tr(t, "test " + std::to_string(++n));
                FrameworkTest test;
                test.id = tr.text("id", id_bytes);
                test.name = tr.text("name", limits::short_text);
                test.description =
                    tr.optional_text("description", limits::scenario_text).value_or("");
                if (tr.optional_value("questions"))
                    test.questions = tr.text_list("questions", limits::questions_per_test,
                                                  limits::scenario_text);
                tr.finish();
                config.framework.tests.push_back(std::move(test));
            }
            f.finish();
        }
        if (const auto* settings = r.optional_value("settings"))
            config.settings = read_settings(*settings);
        if (const auto* scenarios = r.optional_value("scenarios")) {
            if (!scenarios->is_array()) throw Invalid("\"scenarios\" must be a list");
            if (scenarios->size() > limits::scenarios)
                throw Invalid("a session may have at most " + std::to_string(limits::scenarios) +
                              " scenarios");
            int n = 0;
            for (const auto& s : *scenarios)
                config.scenarios.push_back(
                    read_scenario(s, "scenario " + std::to_string(++n), false));
        }
        r.finish();
        return config;
    } catch (const Invalid& e) {
        return DecodeError{"bad_message", e.what(), nullptr};
    }
}

}  // namespace quorum::proto
