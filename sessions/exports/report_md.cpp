#include "sessions/exports/reports.hpp"

#include "sessions/exports/escape.hpp"
#include "sessions/exports/report_text.hpp"
#include "sessions/exports/time_text.hpp"

namespace quorum::exports {
namespace {

/// Plain text that we wrote ourselves but that may quote user text (names of areas and tests).
std::string md(const std::string& text) {
    return markdown_inline(text);
}

std::string row(const std::vector<std::string>& cells) {
    std::string out = "|";
    for (const auto& c : cells) out += " " + c + " |";
    return out + "\n";
}

std::string rule(std::size_t columns) {
    std::string out = "|";
    for (std::size_t i = 0; i < columns; ++i) out += " --- |";
    return out + "\n";
}

std::string verdict_cell(const TestStats& s) {
    std::string out = std::string(verdict_label(s.verdict));
    if (s.polarised) out += " (divided)";
    return out;
}

std::string optional_number(std::optional<double> v, int decimals = 2) {
    return v ? number(*v, decimals) : "–";
}

std::string score(std::optional<double> v) {
    return v ? number(*v, 0) + "/100" : "–";
}

void summary(std::string& out, const Findings& f) {
    out += "## Summary\n\n";
    std::vector<std::string> head{"Proposed use of data", "Verdict", "Acceptability"};
    for (const auto& t : f.framework.tests) head.push_back(md(t.name));
    out += row(head) + rule(head.size());
    for (std::size_t i = 0; i < f.scenarios.size(); ++i) {
        const auto& s = f.scenarios[i];
        std::vector<std::string> cells{
            std::to_string(i + 1) + ". " + md(s.scenario.title),
            "**" + std::string(scenario_verdict_label(s.result.judgement.verdict)) + "**",
            score(s.result.judgement.acceptability)};
        for (const auto& t : s.result.tests) cells.push_back(verdict_cell(t.overall));
        out += row(cells);
    }
    out += "\n";
    for (const auto& note : f.notes) out += "*" + md(note) + "*\n\n";
}

void details(std::string& out, const Scenario& s) {
    out += md(s.description) + "\n\n";
    const std::pair<const char*, const std::string*> fields[] = {
        {"Data involved", &s.data_involved},
        {"Who shares with whom", &s.sharing},
        {"Purpose", &s.purpose},
        {"Theme", &s.theme}};
    bool any = false;
    for (const auto& [label, value] : fields)
        if (!value->empty()) {
            out += "- **" + std::string(label) + ":** " + md(*value) + "\n";
            any = true;
        }
    if (any) out += "\n";
}

void votes_table(std::string& out, const Findings& f, const RoundFindings& r) {
    out += row({"Test", "Verdict", "Fails (1–2)", "Unsure (3)", "Meets (4–5)", "Can't say",
                "Opinions", "Median", "IQR", "Consensus"}) +
           rule(10);
    for (const auto& t : r.tests) {
        const auto& s = t.overall;
        const bool any = s.opinions > 0;
        out += row({md(test_name(f.framework, t.test)), verdict_cell(s),
                    any ? percent(s.share_low) : "–", any ? percent(s.share_mid) : "–",
                    any ? percent(s.share_high) : "–", std::to_string(s.cant_say),
                    std::to_string(s.opinions), optional_number(s.median), optional_number(s.iqr),
                    optional_number(s.consensus)});
    }
    out += "\n";
    for (const auto& t : r.tests)
        out += "- **" + md(test_name(f.framework, t.test)) + ".** " +
               md(test_sentence(t.overall, f.settings.verdict)) + "\n";
    out += "\n";
}

void breakdown(std::string& out, const Findings& f, const RoundFindings& r, bool sectors) {
    const auto rows = breakdown_rows(r, sectors, sectors ? sector_ids() : f.areas);
    out += std::string("### By ") + (sectors ? "sector" : "area") + "\n\n";
    if (rows.empty() || (rows.size() == 1 && rows.front().empty())) {
        out += "No " + std::string(sectors ? "sector" : "area") + " had at least " +
               std::to_string(f.settings.min_group_size) +
               " opinions on a test, so none is shown on its own.\n\n";
        return;
    }
    std::vector<std::string> head{sectors ? "Sector" : "Area"};
    for (const auto& t : f.framework.tests) head.push_back(md(t.name));
    out += row(head) + rule(head.size());
    for (const auto& name : rows) {
        std::vector<std::string> cells;
        if (name.empty()) {
            cells.push_back("Small groups combined");
        } else {
            cells.push_back(md(sectors ? std::string(sector_label(name)) : name));
        }
        for (const auto& t : r.tests) {
            const auto* g = find_group(t, name, sectors);
            if (!g) {
                cells.push_back(name.empty() ? "none" : "–");
                continue;
            }
            std::string cell = "median " + optional_number(g->stats.median) + ", " +
                               verdict_cell(g->stats) + " (" + std::to_string(g->stats.opinions) +
                               ")";
            if (g->combined && !g->members.empty()) {
                std::vector<std::string> members;
                for (const auto& m : g->members)
                    members.push_back(sectors ? std::string(sector_label(m)) : m);
                cell += ": " + md(name_list(members));
            }
            cells.push_back(cell);
        }
        out += row(cells);
    }
    out +=
        "\nEach cell gives the median, the verdict and (in brackets) the number of opinions. "
        "Groups with fewer than " +
        std::to_string(f.settings.min_group_size) +
        " opinions on a test are not shown on their own (–) but combined with other small "
        "groups.\n\n";
}

void disagreements(std::string& out, const Findings& f, const ScenarioFindings& s) {
    out += "### Where areas disagree\n\n";
    if (!areas_comparable(s.result)) {
        out += md(no_area_comparison(f)) + "\n\n";
        return;
    }
    if (s.disagreements.empty()) {
        out += "The areas shown did not reach different verdicts, and no two medians were " +
               number(area_median_gap) + " or more points apart.\n\n";
        return;
    }
    for (const auto& d : s.disagreements)
        out += "- **" + md(test_name(f.framework, d.test)) + ":** " + md(disagreement_sentence(d)) +
               "\n";
    out += "\n";
}

void shifts(std::string& out, const Findings& f, const ScenarioFindings& s) {
    if (s.shifts.empty()) return;
    out += "### Change between rounds\n\n";
    out += row({"Test", "Rounds", "Median", "Consensus", "Verdict"}) + rule(5);
    for (const auto& sh : s.shifts)
        out += row({md(test_name(f.framework, sh.test)),
                    std::to_string(sh.from_round) + " → " + std::to_string(sh.to_round),
                    optional_number(sh.median.from) + " → " + optional_number(sh.median.to),
                    optional_number(sh.consensus.from) + " → " + optional_number(sh.consensus.to),
                    std::string(verdict_label(sh.verdict_from)) + " → " +
                        std::string(verdict_label(sh.verdict_to))});
    out += "\n";
}

void comments(std::string& out, const Findings& f, const ScenarioFindings& s) {
    out += "### Key comments\n\n";
    if (s.comments.empty()) {
        out += "No comments.\n\n";
        return;
    }
    std::string current_test = "\x01";
    for (const auto& g : s.comments) {
        if (g.test != current_test) {
            out += "#### " + md(test_name(f.framework, g.test)) + "\n\n";
            current_test = g.test;
        }
        out += "**" + std::string(kind_heading(g.kind)) + "**\n\n";
        const auto shown = comments_to_show(g, report_comments_per_group);
        for (const auto* c : shown) {
            out += markdown_quote(c->text);
            out += ">\n> — " + md(comment_attribution(*c, f.sessions.size() > 1)) + "\n\n";
        }
        if (shown.size() < g.comments.size())
            out += "*And " + std::to_string(g.comments.size() - shown.size()) +
                   " more in comments.csv.*\n\n";
    }
}

}  // namespace

std::string report_markdown(const Findings& f, std::optional<TimeMs> generated_at) {
    std::string out = "# " + md(f.title) + "\n\n*Findings report.*";
    for (const auto& fact : workshop_facts(f)) out += " " + md(fact);
    out += "\n\n";
    summary(out, f);
    for (std::size_t i = 0; i < f.scenarios.size(); ++i) {
        const auto& s = f.scenarios[i];
        const auto& r = s.result;
        out += "## " + std::to_string(i + 1) + ". " + md(s.scenario.title) + "\n\n";
        details(out, s.scenario);
        out += "**Verdict: " + std::string(scenario_verdict_label(r.judgement.verdict)) + ".** " +
               md(scenario_sentence(r, f.framework));
        if (r.judgement.acceptability)
            out += " Acceptability " + score(r.judgement.acceptability) + ".";
        out += "\n\n*" + md(result_round_label(s)) + ".*\n\n";
        out += "### How the room voted\n\n";
        votes_table(out, f, r);
        if (has_votes(r)) {
            breakdown(out, f, r, false);
            breakdown(out, f, r, true);
            disagreements(out, f, s);
        }
        shifts(out, f, s);
        comments(out, f, s);
    }
    out += "## How to read this report\n\n";
    for (const auto& p : method_section(f.settings))
        out += "**" + md(p.heading) + ".** " + md(p.text) + "\n\n";
    out += "---\n\n*Made by Quorum";
    if (generated_at) out += " on " + md(long_date(*generated_at));
    out += ". Figures are worked out from every participant's last vote in each round.*\n";
    return out;
}

}  // namespace quorum::exports
