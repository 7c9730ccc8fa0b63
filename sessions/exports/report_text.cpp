#include "sessions/exports/report_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sessions/exports/time_text.hpp"

namespace quorum::exports {

std::string number(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}

std::string percent(double share) {
    return number(std::round(share * 100.0), 0) + "%";
}

std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
        out += names[i];
    }
    return out;
}

std::string_view verdict_label(Verdict verdict) {
    switch (verdict) {
        case Verdict::meets:
            return "Meets";
        case Verdict::fails:
            return "Fails";
        case Verdict::contested:
            return "Contested";
        case Verdict::insufficient:
            return "Not enough votes";
    }
    return "";
}

std::string_view scenario_verdict_label(ScenarioVerdict verdict) {
    switch (verdict) {
        case ScenarioVerdict::justified:
            return "Justified";
        case ScenarioVerdict::not_justified:
            return "Not justified";
        case ScenarioVerdict::contested:
            return "Contested";
        case ScenarioVerdict::insufficient:
            return "Not yet assessed";
    }
    return "";
}

std::string_view consensus_words(double consensus) {
    if (consensus >= 0.8) return "strong agreement";
    if (consensus >= 0.6) return "broad agreement";
    if (consensus >= 0.4) return "mixed views";
    return "little agreement";
}

std::string test_name(const Framework& framework, const std::string& test_id) {
    if (test_id.empty()) return "The scenario as a whole";
    const auto* test = framework.find(test_id);
    return test ? test->name : test_id;
}

std::string_view sector_label(std::string_view sector_id) {
    if (sector_id == "public") return "Public sector";
    if (sector_id == "voluntary") return "Voluntary sector";
    if (sector_id == "other") return "Other sector";
    if (sector_id == "unspecified") return "Sector not given";
    return sector_id;
}

std::string group_label(const GroupStats& group, bool sectors) {
    if (group.combined) return "Small groups combined";
    return sectors ? std::string(sector_label(group.group)) : group.group;
}

std::string_view kind_heading(CommentKind kind) {
    switch (kind) {
        case CommentKind::benefit:
            return "Benefits";
        case CommentKind::risk:
            return "Risks";
        case CommentKind::question:
            return "Questions";
        case CommentKind::suggestion:
            return "Suggestions";
    }
    return "";
}

std::string_view kind_word(CommentKind kind) {
    return to_string(kind);
}

namespace {

std::string median_and_agreement(const TestStats& s) {
    return "median " + number(*s.median) + ", " + std::string(consensus_words(*s.consensus)) +
           " (consensus " + number(*s.consensus) + ")";
}

std::string tests_phrase(const std::vector<std::string>& ids, const Framework& framework) {
    std::vector<std::string> names;
    for (const auto& id : ids) names.push_back(test_name(framework, id));
    return "the " + name_list(names) + (names.size() == 1 ? " test" : " tests");
}

const TestFindings* find_test(const RoundFindings& result, const std::string& id) {
    for (const auto& t : result.tests)
        if (t.test == id) return &t;
    return nullptr;
}

}  // namespace

std::string test_sentence(const TestStats& s, const VerdictThresholds& th) {
    switch (s.verdict) {
        case Verdict::insufficient:
            if (s.opinions == 0)
                return s.cant_say > 0 ? "No verdict: everyone who voted said they could not say."
                                      : "No verdict: nobody has voted on this yet.";
            return "No verdict: only " + std::to_string(s.opinions) + " opinions, and at least " +
                   std::to_string(th.min_opinions) + " are needed.";
        case Verdict::meets:
            return "Meets: " + percent(s.share_high) +
                   " said it mostly or clearly meets the test; " + median_and_agreement(s) + ".";
        case Verdict::fails:
            return "Fails: " + percent(s.share_low) +
                   " said it mostly or clearly fails the test; " + median_and_agreement(s) + ".";
        case Verdict::contested:
            break;
    }
    if (s.polarised)
        return "Divided: " + percent(s.share_low) + " said it fails and " + percent(s.share_high) +
               " said it meets the test. No verdict is drawn, because an average would hide the "
               "split.";
    const auto weak = "agreement was too weak for a verdict (consensus " + number(*s.consensus) +
                      ", " + number(th.min_consensus) + " needed).";
    if (*s.median >= th.meets_median)
        return "Contested: most leaned towards meeting the test (median " + number(*s.median) +
               "), but " + weak;
    if (*s.median <= th.fails_median)
        return "Contested: most leaned towards failing the test (median " + number(*s.median) +
               "), but " + weak;
    return "Contested: the room was undecided (median " + number(*s.median) + "); " +
           percent(s.share_low) + " said it fails, " + percent(s.share_mid) + " were unsure and " +
           percent(s.share_high) + " said it meets the test.";
}

std::string scenario_sentence(const RoundFindings& result, const Framework& framework) {
    const auto& j = result.judgement;
    switch (j.verdict) {
        case ScenarioVerdict::justified:
            return "The room judged that this use of data meets " +
                   std::string(framework.tests.size() == 1   ? "the test"
                               : framework.tests.size() == 3 ? "all three tests"
                                                             : "every test") +
                   ".";
        case ScenarioVerdict::not_justified:
            return "The room judged that it fails " + tests_phrase(j.failing_tests, framework) +
                   ".";
        case ScenarioVerdict::insufficient:
            return "There are not enough votes on " + tests_phrase(j.unassessed, framework) +
                   " to reach a verdict.";
        case ScenarioVerdict::contested:
            break;
    }
    std::string out = "The room did not clearly agree that it meets every test.";
    if (const auto* weakest = find_test(result, j.weakest_test)) {
        const auto& w = weakest->overall;
        out += " The weakest test was " + test_name(framework, j.weakest_test) + ": " +
               (w.polarised ? "median " + number(*w.median) + " (consensus " +
                                  number(*w.consensus) + "), and the room was divided."
                            : median_and_agreement(w) + ".");
    }
    std::vector<std::string> divided;
    for (const auto& t : result.tests)
        if (t.overall.polarised && t.test != j.weakest_test) divided.push_back(t.test);
    if (!divided.empty())
        out += " Views were also divided on " + tests_phrase(divided, framework) + ".";
    return out;
}

std::string disagreement_sentence(const AreaDisagreement& d) {
    std::string out;
    if (d.verdicts_differ) {
        std::vector<std::string> parts;
        for (const auto& [verdict, areas] : d.by_verdict) {
            std::string word = verdict == Verdict::meets   ? "meets"
                               : verdict == Verdict::fails ? "fails"
                                                           : "contested";
            parts.push_back(word + " in " + name_list(areas));
        }
        std::string joined;
        for (std::size_t i = 0; i < parts.size(); ++i) joined += (i ? "; " : "") + parts[i];
        out = "Verdicts differ: " + joined + ".";
    }
    if (d.highest_median > d.lowest_median) {
        if (!out.empty()) out += " ";
        out +=
            "Medians range from " + number(d.highest_median) + " (" + name_list(d.highest) +
            ") to " + number(d.lowest_median) + " (" + name_list(d.lowest) + ")" +
            (d.medians_apart ? ", " + number(d.highest_median - d.lowest_median) + " points apart."
                             : ".");
    }
    return out;
}

bool has_votes(const RoundFindings& result) {
    for (const auto& t : result.tests)
        if (t.overall.voters > 0) return true;
    return false;
}

std::string result_round_label(const ScenarioFindings& s) {
    if (!has_votes(s.result)) return "No votes yet";
    if (s.result.round == 0) {
        bool any = false;
        for (const auto& src : s.sources) any = any || src.round.has_value();
        return any ? "Each workshop's last round, combined" : "Not yet voted on";
    }
    if (s.rounds.size() <= 1) return "Round " + std::to_string(s.result.round);
    return "Round " + std::to_string(s.result.round) + " (the last of " +
           std::to_string(s.rounds.size()) + ")";
}

std::vector<std::string> workshop_facts(const Findings& f) {
    std::vector<std::string> facts;
    std::size_t joined = 0, voted = 0;
    for (const auto& s : f.sessions) {
        joined += s.participants;
        voted += s.voters;
    }
    if (f.sessions.size() == 1) {
        const auto& s = f.sessions.front();
        facts.push_back("Workshop held on " + long_date(s.started_at) + ", session " + s.code +
                        (s.ended ? "" : " (still open when this report was made)") + ".");
    } else {
        facts.push_back("Combines " + std::to_string(f.sessions.size()) + " workshops:");
        for (const auto& s : f.sessions)
            facts.push_back(s.title + ", held on " + long_date(s.started_at) + " (session " +
                            s.code + ")" +
                            (s.ended ? "" : ", still open when this report was made") + ".");
    }
    facts.push_back(std::to_string(f.areas.size()) +
                    (f.areas.size() == 1 ? " area: " : " areas: ") + name_list(f.areas) + ".");
    facts.push_back(std::to_string(joined) + " people joined and " + std::to_string(voted) +
                    " voted.");
    return facts;
}

std::vector<const KeyComment*> comments_to_show(const CommentGroup& group, std::size_t limit) {
    std::vector<const KeyComment*> out;
    for (const auto& c : group.comments)
        if (c.pinned || out.size() < limit) out.push_back(&c);
    return out;
}

std::string comment_attribution(const KeyComment& c, bool several_sessions) {
    std::string out = c.author;
    if (several_sessions) out += ", session " + c.session;
    out += ", round " + std::to_string(c.round);
    if (c.endorsements > 0)
        out += " · " + std::to_string(c.endorsements) +
               (c.endorsements == 1 ? " endorsement" : " endorsements");
    if (c.pinned) out += " · pinned by the facilitator";
    return out;
}

std::vector<std::string> breakdown_rows(const RoundFindings& result, bool sectors,
                                        const std::vector<std::string>& order) {
    std::vector<std::string> rows;
    bool combined = false;
    auto shown = [&](const std::string& name) {
        for (const auto& t : result.tests)
            for (const auto& g : sectors ? t.by_sector : t.by_area)
                if (!g.combined && g.group == name) return true;
        return false;
    };
    for (const auto& t : result.tests)
        for (const auto& g : sectors ? t.by_sector : t.by_area) combined = combined || g.combined;
    for (const auto& name : order)
        if (shown(name)) rows.push_back(name);
    if (combined) rows.emplace_back();
    return rows;
}

std::vector<std::string> sector_ids() {
    return {"public", "voluntary", "other", "unspecified"};
}

const GroupStats* find_group(const TestFindings& test, const std::string& name, bool sectors) {
    for (const auto& g : sectors ? test.by_sector : test.by_area)
        if (name.empty() ? g.combined : (!g.combined && g.group == name)) return &g;
    return nullptr;
}

bool areas_comparable(const RoundFindings& result) {
    for (const auto& t : result.tests) {
        std::size_t shown = 0;
        for (const auto& g : t.by_area)
            if (!g.combined && g.stats.verdict != Verdict::insufficient) ++shown;
        if (shown >= 2) return true;
    }
    return false;
}

std::string no_area_comparison(const Findings& f) {
    if (f.areas.size() < 2)
        return "Every participant came from one area, so there is no comparison.";
    return "Areas cannot be compared here: to protect participants an area is shown on its own "
           "only "
           "when at least " +
           std::to_string(f.settings.min_group_size) +
           " people from it gave an opinion on a test, and fewer than two areas reached that.";
}

std::vector<MethodParagraph> method_section(const SessionSettings& settings) {
    const auto& v = settings.verdict;
    const auto k = std::to_string(settings.min_group_size);
    return {
        {"How people voted",
         "For each proposed use of data, participants judged each test on a five-point scale, "
         "from 1 (clearly fails) through 3 (unsure either way) to 5 (clearly meets), or said they "
         "could not say. \"Can't say\" answers are counted, but they do not enter any of the "
         "measures below. If someone changed their mind, only their last answer in that round "
         "counts."},
        {"Median and spread",
         "The median is the middle opinion: half the room was at or above it, half at or below. "
         "The interquartile range (IQR) is the spread of the middle half of opinions: 0 means the "
         "middle half gave the same answer, 2 or more means they were far apart."},
        {"Consensus",
         "Consensus is the Tastle-Wierman measure, from 0 to 1. It is 1 when everyone gave the "
         "same answer and 0 when the room split evenly between the two ends of the scale. We "
         "describe 0.8 and above as strong agreement, 0.6 to 0.8 as broad agreement, 0.4 to 0.6 "
         "as mixed views and below 0.4 as little agreement. Agreement is the share of opinions on "
         "the side most people chose: 4–5 (meets) or 1–2 (fails)."},
        {"Divided rooms",
         "When at least " + percent(v.polarised_share) +
             " of opinions say a test fails (1–2) "
             "and at least " +
             percent(v.polarised_share) +
             " say it meets (4–5), the room is marked "
             "divided. A divided room is reported as divided, never as a lukewarm average, and it "
             "cannot receive a verdict of meets or fails."},
        {"Verdicts on each test", "A test is met when the median is " + number(v.meets_median) +
                                      " or more, consensus is " + number(v.min_consensus) +
                                      " or more and the room is not divided. It fails when the "
                                      "median is " +
                                      number(v.fails_median) +
                                      " or less under the same conditions. "
                                      "Anything else is contested. With fewer than " +
                                      std::to_string(v.min_opinions) + " opinion" +
                                      (v.min_opinions == 1 ? "" : "s") + " there is no verdict."},
        {"Verdict on each proposal",
         "A proposed use of data is justified when it meets every test, and not justified when "
         "it fails any test (the failing tests are named). Otherwise it is contested, and the "
         "weakest test is named: the one with the lowest median among those not met."},
        {"Acceptability score",
         "The acceptability score puts the average opinion on a scale of 0 to 100: 0 if everyone "
         "said clearly fails, 50 if everyone was unsure, 100 if everyone said clearly meets "
         "(100 × (mean − 1) ÷ 4), averaged over the tests. It is a summary only: read it with the "
         "verdicts, because an average can hide a divided room."},
        {"Protecting small groups",
         "No area or sector is shown on its own unless at least " + k +
             " people gave an opinion "
             "on that test. Smaller groups are shown together as \"small groups combined\"; if "
             "that "
             "is still fewer "
             "than " +
             k +
             ", more groups join it, so that no small group can be worked out by subtraction. "
             "Unless the facilitator chose to show names, participants appear under a "
             "pseudonym such as P07 (Leeds)."},
        {"Where areas disagree",
         "A test is listed where areas disagree when the areas shown reach different verdicts, or "
         "when their medians are " +
             number(area_median_gap) + " or more points apart."},
        {"Rounds and comments",
         "When a second round was held after discussion, the report shows the last round with "
         "votes and how each test moved between rounds. Comments are shown pinned ones first, "
         "then by how many participants endorsed them; comments the facilitator hid are left "
         "out."},
    };
}

}  // namespace quorum::exports
