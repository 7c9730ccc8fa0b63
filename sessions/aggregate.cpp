#include "sessions/aggregate.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

namespace quorum {
namespace {

/// Sectors in the order they are shown; "unspecified" last because it says least.
constexpr std::array<Sector, 4> sector_order{Sector::public_sector, Sector::voluntary,
                                             Sector::other, Sector::unspecified};

RawTally raw_tally(const Session& session, const TestTally& tally) {
    RawTally raw;
    raw.overall = tally.overall;
    const auto& areas = session.config().areas;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        raw.by_area.emplace_back(areas[i],
                                 i < tally.by_area.size() ? tally.by_area[i] : Histogram{});
    }
    for (auto sector : sector_order) {
        raw.by_sector.emplace_back(std::string(to_string(sector)),
                                   tally.by_sector[static_cast<std::size_t>(sector)]);
    }
    return raw;
}

RoundFindings round_findings(const Session& session, const RoundState& round) {
    RoundFindings out;
    out.round = round.number;
    out.revealed = round.revealed;
    const auto& tests = session.config().framework.tests;
    for (std::size_t t = 0; t < tests.size(); ++t) {
        out.tests.push_back(summarise(tests[t].id, raw_tally(session, round.tallies[t]),
                                      session.config().settings));
    }
    out.judgement = judge(out.tests);
    return out;
}

/// A round nobody has voted in: every test without opinions.
RoundFindings empty_round(const Framework& framework, const SessionSettings& settings, int number) {
    RoundFindings out;
    out.round = number;
    for (const auto& test : framework.tests) out.tests.push_back(summarise(test.id, {}, settings));
    out.judgement = judge(out.tests);
    return out;
}

bool has_votes(const RoundState& round) {
    return std::any_of(round.tallies.begin(), round.tallies.end(),
                       [](const TestTally& t) { return t.overall.voters() > 0; });
}

/// The round whose result is published: the last one with votes, else the last one.
const RoundState* final_round(const ScenarioState& scenario) {
    for (auto it = scenario.rounds.rbegin(); it != scenario.rounds.rend(); ++it)
        if (has_votes(*it)) return &*it;
    return scenario.rounds.empty() ? nullptr : &scenario.rounds.back();
}

std::vector<KeyComment> visible_comments(const Session& session, const std::string& scenario,
                                         bool names) {
    std::vector<KeyComment> out;
    for (const auto& c : session.comments()) {
        if (c.hidden || c.scenario != scenario) continue;
        KeyComment k;
        k.id = c.id;
        k.session = session.code();
        k.scenario = c.scenario;
        k.round = c.round;
        k.test = c.test;
        k.kind = c.kind;
        k.text = c.text;
        k.author = participant_label(session, *session.find_participant(c.author), names);
        k.endorsements = c.endorsers.size();
        k.pinned = c.pinned;
        k.at = c.at;
        out.push_back(std::move(k));
    }
    return out;
}

SessionSummary summary_of(const Session& session) {
    SessionSummary s;
    s.code = session.code();
    s.title = session.config().title;
    s.areas = session.config().areas;
    s.participants = session.participants().size();
    s.started_at = session.created_at();
    s.ended = session.phase() == Phase::ended;
    std::vector<bool> voted(session.participants().size(), false);
    for (const auto& sc : session.scenarios())
        for (const auto& r : sc.rounds)
            for (const auto& column : r.votes)
                for (std::size_t i = 0; i < column.size(); ++i)
                    if (column[i] != no_vote) voted[i] = true;
    s.voters = static_cast<std::size_t>(std::count(voted.begin(), voted.end(), true));
    for (const auto& p : session.participants())
        if (p.role == Role::observer) ++s.observers;
    return s;
}

ScenarioFindings scenario_findings(const Session& session, const ScenarioState& sc, bool names) {
    const auto& config = session.config();
    ScenarioFindings out;
    out.scenario = sc.scenario;
    for (const auto& r : sc.rounds) out.rounds.push_back(round_findings(session, r));
    if (const auto* last = final_round(sc)) {
        out.result = out.rounds[static_cast<std::size_t>(last - sc.rounds.data())];
        out.sources.push_back({session.code(), sc.scenario.id, last->number});
    } else {
        out.result = empty_round(config.framework, config.settings, 0);
        out.sources.push_back({session.code(), sc.scenario.id, std::nullopt});
    }
    out.disagreements = area_disagreements(out.result.tests);
    out.shifts = round_shifts(out.rounds);
    out.comments =
        group_comments(visible_comments(session, sc.scenario.id, names), config.framework);
    return out;
}

/// Generated scenario ids ("s1", "s12") say nothing across sessions, so they never match.
bool is_generated_id(const std::string& id) {
    return id.size() >= 2 && id[0] == 's' &&
           std::all_of(id.begin() + 1, id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The title with case, punctuation and runs of spaces ignored.
std::string title_key(const std::string& title) {
    std::string key;
    bool gap = false;
    for (unsigned char c : title) {
        if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
        const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (!word) {
            gap = true;
            continue;
        }
        if (gap && !key.empty()) key += ' ';
        key += static_cast<char>(c);
        gap = false;
    }
    return key;
}

std::vector<std::string> test_ids(const Framework& framework) {
    std::vector<std::string> ids;
    for (const auto& t : framework.tests) ids.push_back(t.id);
    return ids;
}

void add_to(std::vector<std::pair<std::string, Histogram>>& groups, const std::string& name,
            const Histogram& h) {
    for (auto& [n, g] : groups)
        if (n == name) {
            g += h;
            return;
        }
    groups.emplace_back(name, h);
}

}  // namespace

std::string pseudonym(ParticipantId id) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "P%02u", static_cast<unsigned>(id));
    return buf;
}

std::string participant_label(const Session& session, const ParticipantState& p, bool names) {
    const auto& area = session.config().areas.at(p.area);
    return (names && !p.name.empty() ? p.name : pseudonym(p.id)) + " (" + area + ")";
}

std::vector<GroupStats> protect_small_groups(
    const std::vector<std::pair<std::string, Histogram>>& groups, std::uint32_t k,
    const VerdictThresholds& thresholds) {
    std::vector<bool> small(groups.size(), false);
    Histogram other;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (groups[i].second.opinions() < k) {
            small[i] = true;
            other += groups[i].second;
        }
    }
    // Complementary suppression: a non-empty "other" below k could be worked out by subtracting
    // the shown groups from the overall figures, so the smallest shown groups join it.
    while (other.opinions() > 0 && other.opinions() < k) {
        std::optional<std::size_t> smallest;
        for (std::size_t i = 0; i < groups.size(); ++i)
            if (!small[i] &&
                (!smallest || groups[i].second.opinions() < groups[*smallest].second.opinions()))
                smallest = i;
        if (!smallest) break;
        small[*smallest] = true;
        other += groups[*smallest].second;
    }
    std::vector<GroupStats> out;
    GroupStats combined{"other", compute_stats(other, thresholds), true, {}};
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (!small[i]) {
            out.push_back(
                {groups[i].first, compute_stats(groups[i].second, thresholds), false, {}});
        } else if (groups[i].second.voters() > 0) {
            combined.members.push_back(groups[i].first);
        }
    }
    if (other.opinions() >= k && other.opinions() > 0) out.push_back(std::move(combined));
    return out;
}

TestFindings summarise(const std::string& test, const RawTally& tally,
                       const SessionSettings& settings) {
    TestFindings out;
    out.test = test;
    out.overall = compute_stats(tally.overall, settings.verdict);
    out.acceptability = acceptability_score(out.overall);
    out.by_area = protect_small_groups(tally.by_area, settings.min_group_size, settings.verdict);
    out.by_sector =
        protect_small_groups(tally.by_sector, settings.min_group_size, settings.verdict);
    return out;
}

std::string_view to_string(ScenarioVerdict verdict) {
    switch (verdict) {
        case ScenarioVerdict::justified:
            return "justified";
        case ScenarioVerdict::not_justified:
            return "not_justified";
        case ScenarioVerdict::contested:
            return "contested";
        case ScenarioVerdict::insufficient:
            return "insufficient";
    }
    return "unknown";
}

ScenarioJudgement judge(const std::vector<TestFindings>& tests) {
    ScenarioJudgement j;
    std::vector<double> scores;
    const TestFindings* weakest = nullptr;
    auto weaker = [](const TestStats& a, const TestStats& b) {
        if (*a.median != *b.median) return *a.median < *b.median;
        if (*a.mean != *b.mean) return *a.mean < *b.mean;
        return *a.consensus < *b.consensus;
    };
    bool all_meet = !tests.empty();
    for (const auto& t : tests) {
        if (t.acceptability) scores.push_back(*t.acceptability);
        const auto v = t.overall.verdict;
        if (v == Verdict::fails) j.failing_tests.push_back(t.test);
        if (v == Verdict::insufficient) j.unassessed.push_back(t.test);
        if (v != Verdict::meets) all_meet = false;
        if (v == Verdict::meets || v == Verdict::insufficient) continue;
        if (!weakest || weaker(t.overall, weakest->overall)) weakest = &t;
    }
    if (!scores.empty())
        j.acceptability =
            std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(scores.size());
    if (!j.failing_tests.empty())
        j.verdict = ScenarioVerdict::not_justified;
    else if (!j.unassessed.empty())
        j.verdict = ScenarioVerdict::insufficient;
    else if (all_meet)
        j.verdict = ScenarioVerdict::justified;
    else
        j.verdict = ScenarioVerdict::contested;
    if (j.verdict == ScenarioVerdict::contested && weakest) j.weakest_test = weakest->test;
    return j;
}

std::vector<AreaDisagreement> area_disagreements(const std::vector<TestFindings>& tests) {
    std::vector<AreaDisagreement> out;
    for (const auto& t : tests) {
        std::vector<const GroupStats*> areas;
        for (const auto& g : t.by_area)
            if (!g.combined && g.stats.verdict != Verdict::insufficient) areas.push_back(&g);
        if (areas.size() < 2) continue;
        AreaDisagreement d;
        d.test = t.test;
        for (auto verdict : {Verdict::meets, Verdict::contested, Verdict::fails}) {
            std::vector<std::string> names;
            for (const auto* g : areas)
                if (g->stats.verdict == verdict) names.push_back(g->group);
            if (!names.empty()) d.by_verdict.emplace_back(verdict, std::move(names));
        }
        d.highest_median = d.lowest_median = *areas.front()->stats.median;
        for (const auto* g : areas) {
            d.highest_median = std::max(d.highest_median, *g->stats.median);
            d.lowest_median = std::min(d.lowest_median, *g->stats.median);
        }
        for (const auto* g : areas) {
            if (*g->stats.median == d.highest_median) d.highest.push_back(g->group);
            if (*g->stats.median == d.lowest_median) d.lowest.push_back(g->group);
        }
        d.verdicts_differ = d.by_verdict.size() > 1;
        d.medians_apart = d.highest_median - d.lowest_median >= area_median_gap;
        if (d.verdicts_differ || d.medians_apart) out.push_back(std::move(d));
    }
    return out;
}

std::vector<RoundShift> round_shifts(const std::vector<RoundFindings>& rounds) {
    std::vector<RoundShift> out;
    for (std::size_t i = 0; i + 1 < rounds.size(); ++i) {
        const auto& a = rounds[i];
        const auto& b = rounds[i + 1];
        for (std::size_t t = 0; t < a.tests.size() && t < b.tests.size(); ++t) {
            const auto& x = a.tests[t].overall;
            const auto& y = b.tests[t].overall;
            if (x.opinions == 0 || y.opinions == 0) continue;
            out.push_back({a.tests[t].test,
                           a.round,
                           b.round,
                           {x.median, y.median},
                           {x.mean, y.mean},
                           {x.consensus, y.consensus},
                           x.verdict,
                           y.verdict});
        }
    }
    return out;
}

std::vector<CommentGroup> group_comments(std::vector<KeyComment> comments,
                                         const Framework& framework) {
    std::stable_sort(comments.begin(), comments.end(),
                     [](const KeyComment& a, const KeyComment& b) {
                         if (a.pinned != b.pinned) return a.pinned;
                         if (a.endorsements != b.endorsements)
                             return a.endorsements > b.endorsements;
                         if (a.at != b.at) return a.at < b.at;
                         return a.id < b.id;
                     });
    std::vector<std::string> tests = test_ids(framework);
    tests.emplace_back();  // the scenario as a whole, after the tests
    std::vector<CommentGroup> out;
    for (const auto& test : tests)
        for (auto kind : {CommentKind::benefit, CommentKind::risk, CommentKind::question,
                          CommentKind::suggestion}) {
            CommentGroup group{test, kind, {}};
            for (const auto& c : comments)
                if (c.test == test && c.kind == kind) group.comments.push_back(c);
            if (!group.comments.empty()) out.push_back(std::move(group));
        }
    return out;
}

Findings build_findings(const Session& session, const FindingsOptions& options) {
    const auto& config = session.config();
    Findings f;
    f.title = config.title;
    f.sessions.push_back(summary_of(session));
    f.framework = config.framework;
    f.settings = config.settings;
    f.names = options.names;
    f.areas = config.areas;
    for (const auto& sc : session.scenarios())
        f.scenarios.push_back(scenario_findings(session, sc, options.names));
    return f;
}

Findings synthesise(const std::vector<const Session*>& sessions, const FindingsOptions& options) {
    if (sessions.empty()) throw std::invalid_argument("a synthesis needs at least one session");
    const auto& first = *sessions.front();
    Findings f;
    f.framework = first.config().framework;
    f.settings = first.config().settings;
    f.names = options.names;
    std::set<std::string> titles;
    for (const auto* s : sessions) {
        if (test_ids(s->config().framework) != test_ids(f.framework))
            throw std::invalid_argument(
                "session " + s->code() + " judges against different tests from session " +
                first.code() + "; only sessions sharing a framework combine");
        if (s->config().settings != f.settings)
            f.notes.push_back("Session " + s->code() +
                              " has its own thresholds; those of session " + first.code() +
                              " are used throughout.");
        f.sessions.push_back(summary_of(*s));
        titles.insert(s->config().title);
        for (const auto& area : s->config().areas)
            if (std::find(f.areas.begin(), f.areas.end(), area) == f.areas.end())
                f.areas.push_back(area);
    }
    f.title = titles.size() == 1
                  ? *titles.begin()
                  : "Findings across " + std::to_string(sessions.size()) + " workshops";

    // Group every scenario of every session: the same explicit id, or the same title, is one
    // scenario (transitively, so a renamed scenario with a shared id still joins its group).
    // Groups keep the order in which they first appear.
    struct Member {
        const Session* session;
        const ScenarioState* scenario;
    };
    std::vector<Member> members;
    for (const auto* s : sessions)
        for (const auto& sc : s->scenarios()) members.push_back({s, &sc});
    std::vector<std::size_t> parent(members.size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto root = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    std::map<std::string, std::size_t> first_with_key;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& sc = members[i].scenario->scenario;
        std::vector<std::string> keys{"title:" + title_key(sc.title)};
        if (!is_generated_id(sc.id)) keys.push_back("id:" + sc.id);
        for (const auto& key : keys) {
            auto [it, fresh] = first_with_key.emplace(key, i);
            if (!fresh) {
                const auto a = root(i), b = root(it->second);
                parent[std::max(a, b)] = std::min(a, b);  // the earliest member stays the root
            }
        }
    }
    std::vector<std::vector<Member>> groups;
    std::map<std::size_t, std::size_t> group_of_root;
    for (std::size_t i = 0; i < members.size(); ++i) {
        auto [it, fresh] = group_of_root.emplace(root(i), groups.size());
        if (fresh) groups.emplace_back();
        groups[it->second].push_back(members[i]);
    }

    const auto& tests = f.framework.tests;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        ScenarioFindings out;
        out.scenario = groups[g].front().scenario->scenario;
        out.scenario.id = "s" + std::to_string(g + 1);
        for (const auto& m : groups[g])
            if (!is_generated_id(m.scenario->scenario.id)) {
                out.scenario.id = m.scenario->scenario.id;
                break;
            }
        std::vector<RawTally> pooled(tests.size());
        for (auto& raw : pooled)
            for (const auto& area : f.areas) raw.by_area.emplace_back(area, Histogram{});
        bool all_revealed = true;
        std::vector<KeyComment> comments;
        for (const auto& m : groups[g]) {
            const auto* round = final_round(*m.scenario);
            out.sources.push_back({m.session->code(), m.scenario->scenario.id,
                                   round ? std::optional<int>(round->number) : std::nullopt});
            auto mine = visible_comments(*m.session, m.scenario->scenario.id, options.names);
            comments.insert(comments.end(), mine.begin(), mine.end());
            if (!round || !has_votes(*round)) continue;
            all_revealed = all_revealed && round->revealed;
            for (std::size_t t = 0; t < tests.size(); ++t) {
                const auto raw = raw_tally(*m.session, round->tallies[t]);
                pooled[t].overall += raw.overall;
                for (const auto& [name, h] : raw.by_area) add_to(pooled[t].by_area, name, h);
                for (const auto& [name, h] : raw.by_sector) add_to(pooled[t].by_sector, name, h);
            }
        }
        out.result.round = 0;
        out.result.revealed = all_revealed;
        for (std::size_t t = 0; t < tests.size(); ++t)
            out.result.tests.push_back(summarise(tests[t].id, pooled[t], f.settings));
        out.result.judgement = judge(out.result.tests);
        out.disagreements = area_disagreements(out.result.tests);
        out.comments = group_comments(std::move(comments), f.framework);
        f.scenarios.push_back(std::move(out));
    }
    return f;
}

}  // namespace quorum
