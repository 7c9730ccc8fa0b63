#include "sessions/event_json.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace quorum {
namespace {

using nlohmann::json;

template <class T>
T get(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) throw std::runtime_error(std::string("stored event lacks \"") + key + "\"");
    return it->get<T>();
}

std::string get_or_empty(const json& j, const char* key) {
    auto it = j.find(key);
    return it == j.end() ? std::string() : it->get<std::string>();
}

template <class Enum>
Enum parse_or_throw(std::optional<Enum> value, const char* what) {
    if (!value) throw std::runtime_error(std::string("stored event has a bad ") + what);
    return *value;
}

}  // namespace

std::string_view event_type(const EventPayload& payload) {
    static constexpr std::string_view names[] = {
        "session_created",    "participant_joined", "scenario_opened", "voting_opened",
        "voting_closed",      "results_revealed",   "round_started",   "session_ended",
        "visibility_changed", "vote_cast",          "comment_added",   "comment_endorsed",
        "comment_hidden",     "comment_pinned",     "scenario_added",  "scenario_updated",
        "scenarios_reordered"};
    static_assert(std::size(names) == std::variant_size_v<EventPayload>);
    return names[payload.index()];
}

json scenario_to_json(const Scenario& s) {
    json j{{"id", s.id}, {"title", s.title}, {"description", s.description}};
    if (!s.data_involved.empty()) j["data_involved"] = s.data_involved;
    if (!s.sharing.empty()) j["sharing"] = s.sharing;
    if (!s.purpose.empty()) j["purpose"] = s.purpose;
    if (!s.theme.empty()) j["theme"] = s.theme;
    return j;
}

Scenario scenario_from_json(const json& j) {
    return Scenario{get_or_empty(j, "id"),          get_or_empty(j, "title"),
                    get_or_empty(j, "description"), get_or_empty(j, "data_involved"),
                    get_or_empty(j, "sharing"),     get_or_empty(j, "purpose"),
                    get_or_empty(j, "theme")};
}

json framework_to_json(const Framework& f) {
    json tests = json::array();
    for (const auto& t : f.tests)
        tests.push_back({{"id", t.id},
                         {"name", t.name},
                         {"description", t.description},
                         {"questions", t.questions}});
    return {{"name", f.name}, {"tests", tests}};
}

Framework framework_from_json(const json& j) {
    Framework f;
    f.name = get_or_empty(j, "name");
    for (const auto& t : get<json>(j, "tests"))
        f.tests.push_back({get<std::string>(t, "id"), get<std::string>(t, "name"),
                           get_or_empty(t, "description"),
                           t.value("questions", std::vector<std::string>{})});
    return f;
}

json settings_to_json(const SessionSettings& s) {
    const auto& v = s.verdict;
    return {{"meets_median", v.meets_median},   {"fails_median", v.fails_median},
            {"min_consensus", v.min_consensus}, {"polarised_share", v.polarised_share},
            {"min_opinions", v.min_opinions},   {"min_group_size", s.min_group_size}};
}

SessionSettings settings_from_json(const json& j) {
    // Every field has a default, so logs written before a setting existed still load.
    SessionSettings s;
    auto& v = s.verdict;
    v.meets_median = j.value("meets_median", v.meets_median);
    v.fails_median = j.value("fails_median", v.fails_median);
    v.min_consensus = j.value("min_consensus", v.min_consensus);
    v.polarised_share = j.value("polarised_share", v.polarised_share);
    v.min_opinions = j.value("min_opinions", v.min_opinions);
    s.min_group_size = j.value("min_group_size", s.min_group_size);
    return s;
}

json config_to_json(const SessionConfig& c) {
    json scenarios = json::array();
    for (const auto& s : c.scenarios) scenarios.push_back(scenario_to_json(s));
    return {{"code", c.code},
            {"title", c.title},
            {"areas", c.areas},
            {"framework", framework_to_json(c.framework)},
            {"scenarios", scenarios},
            {"facilitator_token_hash", c.facilitator_token_hash},
            {"settings", settings_to_json(c.settings)}};
}

SessionConfig config_from_json(const json& j) {
    SessionConfig c;
    c.code = get<std::string>(j, "code");
    c.title = get<std::string>(j, "title");
    c.areas = get<std::vector<std::string>>(j, "areas");
    c.framework = framework_from_json(get<json>(j, "framework"));
    for (const auto& s : get<json>(j, "scenarios")) c.scenarios.push_back(scenario_from_json(s));
    c.facilitator_token_hash = get_or_empty(j, "facilitator_token_hash");
    if (auto it = j.find("settings"); it != j.end()) c.settings = settings_from_json(*it);
    return c;
}

json payload_to_json(const EventPayload& payload) {
    json j = std::visit(
        [](const auto& e) -> json {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, ev::SessionCreated>) {
                return {{"config", config_to_json(e.config)}};
            } else if constexpr (std::is_same_v<T, ev::ParticipantJoined>) {
                return {{"participant", e.participant},
                        {"name", e.name},
                        {"area", e.area},
                        {"sector", to_string(e.sector)},
                        {"role", to_string(e.role)},
                        {"token_hash", e.token_hash}};
            } else if constexpr (std::is_same_v<T, ev::ScenarioOpened> ||
                                 std::is_same_v<T, ev::ResultsRevealed> ||
                                 std::is_same_v<T, ev::RoundStarted>) {
                return {{"scenario", e.scenario}, {"round", e.round}};
            } else if constexpr (std::is_same_v<T, ev::VotingOpened> ||
                                 std::is_same_v<T, ev::VotingClosed>) {
                return {{"scenario", e.scenario}, {"round", e.round}, {"tests", e.tests}};
            } else if constexpr (std::is_same_v<T, ev::SessionEnded>) {
                return json::object();
            } else if constexpr (std::is_same_v<T, ev::VisibilityChanged>) {
                return {{"live_results", e.live_results}, {"show_comments", e.show_comments}};
            } else if constexpr (std::is_same_v<T, ev::VoteCast>) {
                json v{{"participant", e.participant},
                       {"scenario", e.scenario},
                       {"round", e.round},
                       {"test", e.test},
                       {"value", e.value}};
                if (!e.client_id.empty()) v["client_id"] = e.client_id;
                return v;
            } else if constexpr (std::is_same_v<T, ev::CommentAdded>) {
                json v{{"comment", e.comment},   {"participant", e.participant},
                       {"scenario", e.scenario}, {"round", e.round},
                       {"test", e.test},         {"kind", to_string(e.kind)},
                       {"text", e.text}};
                if (!e.client_id.empty()) v["client_id"] = e.client_id;
                return v;
            } else if constexpr (std::is_same_v<T, ev::CommentEndorsed>) {
                return {{"comment", e.comment}, {"participant", e.participant}};
            } else if constexpr (std::is_same_v<T, ev::CommentHidden>) {
                return {{"comment", e.comment}, {"hidden", e.hidden}};
            } else if constexpr (std::is_same_v<T, ev::CommentPinned>) {
                return {{"comment", e.comment}, {"pinned", e.pinned}};
            } else if constexpr (std::is_same_v<T, ev::ScenarioAdded> ||
                                 std::is_same_v<T, ev::ScenarioUpdated>) {
                return {{"scenario", scenario_to_json(e.scenario)}};
            } else {
                static_assert(std::is_same_v<T, ev::ScenariosReordered>);
                return {{"order", e.order}};
            }
        },
        payload);
    j["type"] = event_type(payload);
    return j;
}

EventPayload payload_from_json(const json& j) {
    const auto type = get<std::string>(j, "type");
    if (type == "session_created")
        return ev::SessionCreated{config_from_json(get<json>(j, "config"))};
    if (type == "participant_joined")
        return ev::ParticipantJoined{
            get<ParticipantId>(j, "participant"),
            get<std::string>(j, "name"),
            get<std::string>(j, "area"),
            parse_or_throw(parse_sector(get<std::string>(j, "sector")), "sector"),
            parse_or_throw(parse_role(get<std::string>(j, "role")), "role"),
            get_or_empty(j, "token_hash")};  // absent from exported transcripts
    if (type == "scenario_opened")
        return ev::ScenarioOpened{get<std::string>(j, "scenario"), get<int>(j, "round")};
    if (type == "results_revealed")
        return ev::ResultsRevealed{get<std::string>(j, "scenario"), get<int>(j, "round")};
    if (type == "round_started")
        return ev::RoundStarted{get<std::string>(j, "scenario"), get<int>(j, "round")};
    if (type == "voting_opened")
        return ev::VotingOpened{get<std::string>(j, "scenario"), get<int>(j, "round"),
                                get<std::vector<std::string>>(j, "tests")};
    if (type == "voting_closed")
        return ev::VotingClosed{get<std::string>(j, "scenario"), get<int>(j, "round"),
                                get<std::vector<std::string>>(j, "tests")};
    if (type == "session_ended") return ev::SessionEnded{};
    if (type == "visibility_changed")
        return ev::VisibilityChanged{get<bool>(j, "live_results"), get<bool>(j, "show_comments")};
    if (type == "vote_cast")
        return ev::VoteCast{get<ParticipantId>(j, "participant"),
                            get<std::string>(j, "scenario"),
                            get<int>(j, "round"),
                            get<std::string>(j, "test"),
                            get<int>(j, "value"),
                            get_or_empty(j, "client_id")};
    if (type == "comment_added")
        return ev::CommentAdded{
            get<CommentId>(j, "comment"),
            get<ParticipantId>(j, "participant"),
            get<std::string>(j, "scenario"),
            get<int>(j, "round"),
            get<std::string>(j, "test"),
            parse_or_throw(parse_comment_kind(get<std::string>(j, "kind")), "comment kind"),
            get<std::string>(j, "text"),
            get_or_empty(j, "client_id")};
    if (type == "comment_endorsed")
        return ev::CommentEndorsed{get<CommentId>(j, "comment"),
                                   get<ParticipantId>(j, "participant")};
    if (type == "comment_hidden")
        return ev::CommentHidden{get<CommentId>(j, "comment"), get<bool>(j, "hidden")};
    if (type == "comment_pinned")
        return ev::CommentPinned{get<CommentId>(j, "comment"), get<bool>(j, "pinned")};
    if (type == "scenario_added")
        return ev::ScenarioAdded{scenario_from_json(get<json>(j, "scenario"))};
    if (type == "scenario_updated")
        return ev::ScenarioUpdated{scenario_from_json(get<json>(j, "scenario"))};
    if (type == "scenarios_reordered")
        return ev::ScenariosReordered{get<std::vector<std::string>>(j, "order")};
    throw std::runtime_error("unknown stored event type \"" + type + "\"");
}

json event_to_json(const Event& event) {
    json j = payload_to_json(event.payload);
    j["seq"] = event.seq;
    j["at"] = event.at;
    return j;
}

Event event_from_json(const json& j) {
    return Event{get<Seq>(j, "seq"), get<TimeMs>(j, "at"), payload_from_json(j)};
}

}  // namespace quorum

namespace quorum {
namespace {

/// A JSON string as nlohmann writes it: plain printable ASCII is copied, anything else escaped by
/// nlohmann itself.
void append_json_string(std::string& out, const std::string& text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
    });
    if (plain) {
        out += '"';
        out += text;
        out += '"';
    } else {
        out += nlohmann::json(text).dump();
    }
}

}  // namespace

std::string stored_body(const EventPayload& payload) {
    const auto* vote = std::get_if<ev::VoteCast>(&payload);
    if (!vote) {
        auto body = payload_to_json(payload);
        body.erase("type");
        return body.dump();
    }
    // Keys in nlohmann's (sorted) order.
    std::string out = "{";
    if (!vote->client_id.empty()) {
        out += "\"client_id\":";
        append_json_string(out, vote->client_id);
        out += ',';
    }
    out += "\"participant\":" + std::to_string(vote->participant);
    out += ",\"round\":" + std::to_string(vote->round);
    out += ",\"scenario\":";
    append_json_string(out, vote->scenario);
    out += ",\"test\":";
    append_json_string(out, vote->test);
    out += ",\"value\":" + std::to_string(vote->value) + "}";
    return out;
}

}  // namespace quorum
