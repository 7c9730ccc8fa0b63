#include "protocol/views.hpp"

#include <cmath>
#include <cstdio>

#include "sessions/aggregate.hpp"
#include "sessions/consensus.hpp"
#include "sessions/event_json.hpp"

namespace quorum::proto {
namespace {

using nlohmann::json;

json vote_value_json(int value) {
    return value == cant_say ? json("cant_say") : json(value);
}

json rounded(std::optional<double> v) {
    if (!v) return nullptr;
    return std::round(*v * 1000.0) / 1000.0;
}

/// Statistics with the session's own verdict thresholds, as the reports use them.
json stats_json(const Session& s, const Histogram& h) {
    const auto st = compute_stats(h, s.config().settings.verdict);
    return {{"voters", st.voters},
            {"opinions", st.opinions},
            {"cant_say", st.cant_say},
            {"distribution", st.distribution},
            {"median", rounded(st.median)},
            {"mean", rounded(st.mean)},
            {"iqr", rounded(st.iqr)},
            {"consensus", rounded(st.consensus)},
            {"agreement", rounded(st.agreement)},
            {"polarised", st.polarised},
            {"verdict", to_string(st.verdict)}};
}

std::string display_name(const Session& s, const ParticipantState& p) {
    const auto& area = s.config().areas.at(p.area);
    return (p.name.empty() ? pseudonym(p.id) : p.name) + " (" + area + ")";
}

json participant_json(const Session& s, const ParticipantState& p) {
    return {{"participant", p.id},           {"name", p.name},
            {"pseudonym", pseudonym(p.id)},  {"area", s.config().areas.at(p.area)},
            {"sector", to_string(p.sector)}, {"role", to_string(p.role)}};
}

bool comment_visible(const Session& s, const CommentState& c, const Audience& a) {
    if (a.facilitator) return true;
    if (a.self != 0 && c.author == a.self) return true;
    return s.show_comments() && !c.hidden;
}

json comment_json(const Session& s, const CommentState& c, const Audience& a) {
    json j{{"id", c.id},
           {"scenario", c.scenario},
           {"round", c.round},
           {"test", c.test.empty() ? json(nullptr) : json(c.test)},
           {"kind", to_string(c.kind)},
           {"text", c.text},
           {"author", display_name(s, *s.find_participant(c.author))},
           {"at", c.at},
           {"endorsements", c.endorsers.size()},
           {"pinned", c.pinned},
           {"hidden", c.hidden}};
    // Only a participant's own view says whether the comment is theirs or endorsed by them; the
    // view shared by everyone else leaves these out (clients keep what they knew).
    if (!a.facilitator && a.self != 0) {
        j["mine"] = c.author == a.self;
        j["endorsed"] = c.endorsers.count(a.self) > 0;
    }
    return j;
}

json scenario_json(const ScenarioState& sc) {
    json j = scenario_to_json(sc.scenario);
    json rounds = json::array();
    for (const auto& r : sc.rounds)
        rounds.push_back({{"round", r.number}, {"revealed", r.revealed}});
    j["rounds"] = rounds;
    return j;
}

/// Results of one round, per test, with per-area breakdowns for the facilitator.
json round_results(const Session& s, const ScenarioState& sc, const RoundState& r,
                   const Audience& a) {
    json tests = json::array();
    const auto& fw = s.config().framework;
    for (std::size_t t = 0; t < fw.tests.size(); ++t) {
        json entry = stats_json(s, r.tallies[t].overall);
        entry["test"] = fw.tests[t].id;
        if (a.facilitator) {
            json areas = json::array();
            for (std::size_t i = 0; i < s.config().areas.size(); ++i) {
                json area = stats_json(s, r.tallies[t].by_area[i]);
                area["area"] = s.config().areas[i];
                areas.push_back(std::move(area));
            }
            entry["by_area"] = std::move(areas);
        }
        tests.push_back(std::move(entry));
    }
    return {{"scenario", sc.scenario.id}, {"round", r.number}, {"tests", tests}};
}

json current_json(const Session& s) {
    const auto* sc = s.current_scenario();
    const auto* r = s.current_round();
    json open = json::array();
    if (r)
        for (std::size_t t = 0; t < r->open.size(); ++t)
            if (r->open[t]) open.push_back(s.config().framework.tests[t].id);
    return {{"phase", to_string(s.phase())},
            {"scenario", sc ? json(sc->scenario.id) : json(nullptr)},
            {"round", r ? json(r->number) : json(nullptr)},
            {"open_tests", open},
            {"live_results", s.live_results()},
            {"show_comments", s.show_comments()}};
}

json framework_json(const Framework& fw) {
    return framework_to_json(fw);
}

json scale_json() {
    json scale = json::array();
    const auto& labels = scale_labels();
    for (int v = scale_min; v <= scale_max; ++v)
        scale.push_back({{"value", v}, {"label", labels[static_cast<std::size_t>(v)]}});
    scale.push_back({{"value", "cant_say"}, {"label", labels[0]}});
    return scale;
}

}  // namespace

std::optional<ParticipantId> event_subject(const Session& s, const Event& e) {
    if (const auto* v = std::get_if<ev::VoteCast>(&e.payload)) return v->participant;
    if (const auto* c = std::get_if<ev::CommentAdded>(&e.payload)) return c->participant;
    if (const auto* c = std::get_if<ev::CommentEndorsed>(&e.payload)) return c->participant;
    // Moderation concerns the author: they keep seeing their own comment, marked hidden.
    if (const auto* c = std::get_if<ev::CommentHidden>(&e.payload))
        return s.find_comment(c->comment)->author;
    if (const auto* c = std::get_if<ev::CommentPinned>(&e.payload))
        return s.find_comment(c->comment)->author;
    return std::nullopt;
}

json progress_view(const Session& s, const Audience& a, const Presence& presence) {
    const auto& areas = s.config().areas;
    std::vector<std::uint32_t> joined(areas.size(), 0);
    std::uint32_t voters_total = 0;
    for (const auto& p : s.participants()) {
        ++joined[p.area];
        if (p.role == Role::participant) ++voters_total;
    }
    json participants{{"joined", s.participants().size()},
                      {"voters", voters_total},
                      {"connected", presence.connected}};
    if (a.facilitator) {
        json by_area = json::array();
        for (std::size_t i = 0; i < areas.size(); ++i)
            by_area.push_back(
                {{"area", areas[i]},
                 {"joined", joined[i]},
                 {"connected",
                  i < presence.connected_by_area.size() ? presence.connected_by_area[i] : 0}});
        participants["by_area"] = std::move(by_area);
    }
    json j{{"type", "progress"}, {"seq", s.last_seq()}, {"participants", participants}};
    const auto* sc = s.current_scenario();
    const auto* r = s.current_round();
    if (!sc || !r) return j;
    j["scenario"] = sc->scenario.id;
    j["round"] = r->number;
    const bool results = a.facilitator || s.results_visible_to_participants(*r);
    json tests = json::array();
    const auto& fw = s.config().framework;
    for (std::size_t t = 0; t < fw.tests.size(); ++t) {
        const auto& tally = r->tallies[t];
        json entry{{"test", fw.tests[t].id}, {"voted", tally.overall.voters()}};
        if (a.facilitator) {
            json by_area = json::array();
            for (std::size_t i = 0; i < areas.size(); ++i)
                by_area.push_back({{"area", areas[i]}, {"voted", tally.by_area[i].voters()}});
            entry["by_area"] = std::move(by_area);
        }
        if (results) entry["results"] = stats_json(s, tally.overall);
        tests.push_back(std::move(entry));
    }
    j["tests"] = std::move(tests);
    return j;
}

json snapshot_view(const Session& s, const Audience& a, const Presence& presence) {
    json scenarios = json::array();
    for (const auto& sc : s.scenarios()) scenarios.push_back(scenario_json(sc));
    json session{{"code", s.code()},          {"title", s.config().title},
                 {"areas", s.config().areas}, {"framework", framework_json(s.config().framework)},
                 {"scale", scale_json()},     {"scenarios", scenarios}};
    session.update(current_json(s));

    json j{{"type", "snapshot"}, {"seq", s.last_seq()}, {"session", session}};
    if (a.facilitator) {
        j["you"] = {{"role", "facilitator"}};
        json people = json::array();
        for (const auto& p : s.participants()) people.push_back(participant_json(s, p));
        j["participants"] = std::move(people);
    } else if (a.self == 0) {
        j["you"] = {{"role", "presenter"}};
    } else if (const auto* p = s.find_participant(a.self)) {
        j["you"] = participant_json(s, *p);
        json votes = json::array();
        for (const auto& sc : s.scenarios())
            for (const auto& r : sc.rounds)
                for (std::size_t t = 0; t < r.votes.size(); ++t) {
                    const int v = s.vote_of(p->id, sc, r.number, t);
                    if (v == no_vote) continue;
                    votes.push_back({{"scenario", sc.scenario.id},
                                     {"round", r.number},
                                     {"test", s.config().framework.tests[t].id},
                                     {"value", vote_value_json(v)}});
                }
        j["my_votes"] = std::move(votes);
    }
    json comments = json::array();
    for (const auto& c : s.comments())
        if (comment_visible(s, c, a)) comments.push_back(comment_json(s, c, a));
    j["comments"] = std::move(comments);
    json results = json::array();
    for (const auto& sc : s.scenarios())
        for (const auto& r : sc.rounds)
            if (a.facilitator ? r.voting_started : s.results_visible_to_participants(r))
                results.push_back(round_results(s, sc, r, a));
    j["results"] = std::move(results);
    auto progress = progress_view(s, a, presence);
    progress.erase("type");
    j["progress"] = std::move(progress);
    return j;
}

std::optional<json> event_view(const Session& s, const Event& e, const Audience& a) {
    json j{{"type", "event"}, {"event", event_type(e.payload)}, {"seq", e.seq}, {"at", e.at}};
    auto body = std::visit(
        [&](const auto& p) -> std::optional<json> {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, ev::SessionCreated>) {
                return std::nullopt;
            } else if constexpr (std::is_same_v<T, ev::ParticipantJoined>) {
                if (!a.facilitator) return std::nullopt;
                return participant_json(s, *s.find_participant(p.participant));
            } else if constexpr (std::is_same_v<T, ev::VoteCast>) {
                if (a.facilitator || a.self != p.participant) return std::nullopt;
                return json{{"scenario", p.scenario},
                            {"round", p.round},
                            {"test", p.test},
                            {"value", vote_value_json(p.value)}};
            } else if constexpr (std::is_same_v<T, ev::CommentAdded>) {
                const auto* c = s.find_comment(p.comment);
                if (!comment_visible(s, *c, a)) return std::nullopt;
                return json{{"comment", comment_json(s, *c, a)}};
            } else if constexpr (std::is_same_v<T, ev::CommentEndorsed>) {
                const auto* c = s.find_comment(p.comment);
                if (!comment_visible(s, *c, a)) return std::nullopt;
                return json{{"comment", comment_json(s, *c, a)}};
            } else if constexpr (std::is_same_v<T, ev::CommentHidden> ||
                                 std::is_same_v<T, ev::CommentPinned>) {
                const auto* c = s.find_comment(p.comment);
                const bool was_visible_to_participants = s.show_comments();
                if (!a.facilitator && !was_visible_to_participants && c->author != a.self)
                    return std::nullopt;
                // A hidden comment is withdrawn from participants' screens: only its id goes out.
                if (!comment_visible(s, *c, a))
                    return json{{"comment", {{"id", c->id}, {"hidden", true}}}};
                return json{{"comment", comment_json(s, *c, a)}};
            } else if constexpr (std::is_same_v<T, ev::ResultsRevealed>) {
                json out{{"scenario", p.scenario}, {"round", p.round}};
                const auto* sc = s.find_scenario(p.scenario);
                out["results"] =
                    round_results(s, *sc, sc->rounds.at(static_cast<std::size_t>(p.round - 1)), a);
                return out;
            } else if constexpr (std::is_same_v<T, ev::ScenarioAdded> ||
                                 std::is_same_v<T, ev::ScenarioUpdated>) {
                return json{{"scenario", scenario_json(*s.find_scenario(p.scenario.id))}};
            } else {
                auto out = payload_to_json(p);
                out.erase("type");
                return out;
            }
        },
        e.payload);
    if (!body) return std::nullopt;
    j.update(*body);
    // Phase changes carry the resulting state so clients need not re-derive it.
    if (std::holds_alternative<ev::ScenarioOpened>(e.payload) ||
        std::holds_alternative<ev::VotingOpened>(e.payload) ||
        std::holds_alternative<ev::VotingClosed>(e.payload) ||
        std::holds_alternative<ev::ResultsRevealed>(e.payload) ||
        std::holds_alternative<ev::RoundStarted>(e.payload) ||
        std::holds_alternative<ev::SessionEnded>(e.payload) ||
        std::holds_alternative<ev::VisibilityChanged>(e.payload))
        j["current"] = current_json(s);
    return j;
}

json ack(const json& req) {
    return {{"type", "ack"}, {"req", req}};
}

std::string ack_text(const json& req, std::optional<Seq> seq, bool duplicate) {
    // Keys in the order nlohmann writes them (sorted), so both forms are the same bytes.
    std::string out = duplicate ? R"({"duplicate":true,"req":)" : R"({"req":)";
    if (req.is_number_unsigned())
        out += std::to_string(req.get<std::uint64_t>());
    else if (req.is_number_integer())
        out += std::to_string(req.get<std::int64_t>());
    else
        out += req.dump();
    if (seq) {
        out += R"(,"seq":)";
        out += std::to_string(*seq);
    }
    out += R"(,"type":"ack"})";
    return out;
}

json error(const json& req, std::string_view code, std::string_view message) {
    return {{"type", "error"}, {"req", req}, {"code", code}, {"message", message}};
}

}  // namespace quorum::proto
