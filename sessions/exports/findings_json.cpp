#include "sessions/exports/findings_json.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "sessions/event_json.hpp"
#include "sessions/exports/time_text.hpp"

namespace quorum::exports {
namespace {

using nlohmann::json;

json rounded(std::optional<double> v) {
    if (!v) return nullptr;
    return std::round(*v * 1000.0) / 1000.0;
}

json stats_json(const TestStats& s) {
    return {{"voters", s.voters},
            {"opinions", s.opinions},
            {"cant_say", s.cant_say},
            {"distribution", s.distribution},
            {"median", rounded(s.median)},
            {"mean", rounded(s.mean)},
            {"q1", rounded(s.q1)},
            {"q3", rounded(s.q3)},
            {"iqr", rounded(s.iqr)},
            {"consensus", rounded(s.consensus)},
            {"agreement", rounded(s.agreement)},
            {"share_low", rounded(s.share_low)},
            {"share_mid", rounded(s.share_mid)},
            {"share_high", rounded(s.share_high)},
            {"polarised", s.polarised},
            {"verdict", to_string(s.verdict)}};
}

json groups_json(const std::vector<GroupStats>& groups) {
    json out = json::array();
    for (const auto& g : groups) {
        json j{{"group", g.group}, {"combined", g.combined}};
        if (g.combined) j["members"] = g.members;
        j.update(stats_json(g.stats));
        out.push_back(std::move(j));
    }
    return out;
}

json test_json(const TestFindings& t) {
    json j{{"test", t.test}};
    j.update(stats_json(t.overall));
    j["acceptability"] = rounded(t.acceptability);
    j["by_area"] = groups_json(t.by_area);
    j["by_sector"] = groups_json(t.by_sector);
    return j;
}

json judgement_json(const ScenarioJudgement& j) {
    return {{"verdict", to_string(j.verdict)},
            {"failing_tests", j.failing_tests},
            {"weakest_test", j.weakest_test.empty() ? json(nullptr) : json(j.weakest_test)},
            {"unassessed_tests", j.unassessed},
            {"acceptability", rounded(j.acceptability)}};
}

json round_json(const RoundFindings& r) {
    json tests = json::array();
    for (const auto& t : r.tests) tests.push_back(test_json(t));
    return {{"round", r.round == 0 ? json(nullptr) : json(r.round)},
            {"revealed", r.revealed},
            {"judgement", judgement_json(r.judgement)},
            {"tests", tests}};
}

json change_json(const Change& c) {
    json j{{"from", rounded(c.from)}, {"to", rounded(c.to)}, {"change", nullptr}};
    if (c.from && c.to) j["change"] = rounded(*c.to - *c.from);
    return j;
}

json scenario_json(const ScenarioFindings& s) {
    json j = scenario_to_json(s.scenario);
    json sources = json::array();
    for (const auto& src : s.sources)
        sources.push_back({{"session", src.session},
                           {"scenario", src.scenario},
                           {"round", src.round ? json(*src.round) : json(nullptr)}});
    j["sources"] = sources;
    j["result"] = round_json(s.result);
    json rounds = json::array();
    for (const auto& r : s.rounds) rounds.push_back(round_json(r));
    j["rounds"] = rounds;
    json disagreements = json::array();
    for (const auto& d : s.disagreements) {
        json by_verdict = json::object();
        for (const auto& [verdict, areas] : d.by_verdict) by_verdict[to_string(verdict)] = areas;
        disagreements.push_back({{"test", d.test},
                                 {"verdicts_differ", d.verdicts_differ},
                                 {"medians_apart", d.medians_apart},
                                 {"by_verdict", by_verdict},
                                 {"highest", {{"median", d.highest_median}, {"areas", d.highest}}},
                                 {"lowest", {{"median", d.lowest_median}, {"areas", d.lowest}}}});
    }
    j["area_disagreements"] = disagreements;
    json shifts = json::array();
    for (const auto& sh : s.shifts)
        shifts.push_back(
            {{"test", sh.test},
             {"from_round", sh.from_round},
             {"to_round", sh.to_round},
             {"median", change_json(sh.median)},
             {"mean", change_json(sh.mean)},
             {"consensus", change_json(sh.consensus)},
             {"verdict",
              {{"from", to_string(sh.verdict_from)}, {"to", to_string(sh.verdict_to)}}}});
    j["round_shifts"] = shifts;
    json comments = json::array();
    for (const auto& g : s.comments) {
        json list = json::array();
        for (const auto& c : g.comments)
            list.push_back({{"id", c.id},
                            {"session", c.session},
                            {"round", c.round},
                            {"author", c.author},
                            {"text", c.text},
                            {"endorsements", c.endorsements},
                            {"pinned", c.pinned},
                            {"at", iso_utc(c.at)}});
        comments.push_back({{"test", g.test.empty() ? json(nullptr) : json(g.test)},
                            {"kind", to_string(g.kind)},
                            {"comments", list}});
    }
    j["key_comments"] = comments;
    return j;
}

}  // namespace

json findings_to_json(const Findings& f, std::optional<TimeMs> generated_at) {
    json sessions = json::array();
    for (const auto& s : f.sessions)
        sessions.push_back({{"code", s.code},
                            {"title", s.title},
                            {"areas", s.areas},
                            {"participants", s.participants},
                            {"voters", s.voters},
                            {"observers", s.observers},
                            {"started_at", iso_utc(s.started_at)},
                            {"ended", s.ended}});
    json tests = json::array();
    for (const auto& t : f.framework.tests)
        tests.push_back({{"id", t.id}, {"name", t.name}, {"description", t.description}});
    json scenarios = json::array();
    for (const auto& s : f.scenarios) scenarios.push_back(scenario_json(s));
    json settings = settings_to_json(f.settings);
    settings["area_median_gap"] = area_median_gap;
    return {{"schema", findings_schema},
            {"generated_at", generated_at ? json(iso_utc(*generated_at)) : json(nullptr)},
            {"title", f.title},
            {"names", f.names},
            {"sessions", sessions},
            {"areas", f.areas},
            {"framework", {{"name", f.framework.name}, {"tests", tests}}},
            {"scale", {{"min", scale_min}, {"max", scale_max}}},
            {"settings", settings},
            {"notes", f.notes},
            {"scenarios", scenarios}};
}

}  // namespace quorum::exports
