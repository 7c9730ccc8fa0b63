#include "sessions/exports/reports.hpp"

#include "sessions/exports/chart_svg.hpp"
#include "sessions/exports/escape.hpp"
#include "sessions/exports/report_text.hpp"
#include "sessions/exports/time_text.hpp"

namespace quorum::exports {
namespace {

std::string h(const std::string& text) {
    return html_escape(text);
}

constexpr const char* style_sheet = R"css(
:root { --ink: #1b1b1b; --muted: #475467; --line: #d0d5dd; --soft: #f2f4f7; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.5 "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 0.6rem; padding-top: 1rem; border-top: 3px solid var(--ink); }
h3 { font-size: 1.15rem; margin: 1.8rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 0.3rem; }
h5 { font-size: 0.85rem; margin: 0.8rem 0 0.3rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
p { margin: 0.4rem 0 0.8rem; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.8rem; color: var(--muted); margin: 0; }
.facts { color: var(--muted); margin: 0 0 1rem; padding: 0; list-style: none; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
.summary td:first-child { min-width: 13rem; }
.summary .badge { white-space: normal; text-align: center; border-radius: 0.6rem; }
td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.8rem;
  font-weight: 600; color: #fff; white-space: nowrap; }
.badge.meets, .badge.justified { background: #1a7f37; }
.badge.fails, .badge.not_justified { background: #b42318; }
.badge.contested { background: #b54708; }
.badge.insufficient { background: #667085; }
.badge.divided { background: #6941c6; }
.badge.consensus { background: #fff; color: var(--ink); border: 1px solid var(--line); font-weight: 500; }
.verdict { border-left: 6px solid #667085; background: var(--soft); padding: 0.8rem 1rem; margin: 1rem 0; }
.verdict.justified { border-color: #1a7f37; }
.verdict.not_justified { border-color: #b42318; }
.verdict.contested { border-color: #b54708; }
.verdict p { margin: 0.3rem 0; }
.verdict .big { font-size: 1rem; padding: 0.15rem 0.8rem; }
.score { font-size: 0.95rem; color: var(--muted); }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0 1rem; font-size: 0.95rem; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.82rem; color: var(--muted); margin: 0.3rem 0 0.8rem; }
.legend span::before { content: ""; display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; background: var(--c); }
figure.test { margin: 0 0 1.4rem; break-inside: avoid; }
figure.test figcaption { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem; margin-bottom: 0.2rem; }
figure.test figcaption strong { font-size: 1.05rem; margin-right: 0.3rem; }
svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
.numbers { font-size: 0.85rem; color: var(--muted); margin: 0.2rem 0; }
.sentence { margin: 0.2rem 0 0; }
table.multiples td { padding: 0.3rem 0.4rem; }
table.multiples td .cell { font-size: 0.78rem; color: var(--muted); white-space: nowrap; }
table.multiples td.hidden { color: var(--muted); text-align: center; }
.note { font-size: 0.85rem; color: var(--muted); }
ul.disagree li { margin-bottom: 0.4rem; }
blockquote { margin: 0.4rem 0 0.9rem; padding: 0.5rem 0.9rem; border-left: 4px solid var(--line); background: #fafafa; }
blockquote p { margin: 0; white-space: pre-line; }
blockquote footer { font-size: 0.82rem; color: var(--muted); margin-top: 0.3rem; }
blockquote.pinned { border-left-color: #6941c6; }
section.method p { max-width: 46rem; }
footer.made { margin-top: 3rem; font-size: 0.8rem; color: var(--muted); border-top: 1px solid var(--line); padding-top: 0.6rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 11pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  section.scenario, section.method { break-before: page; }
  h2 { border-top: none; padding-top: 0; }
  h2, h3, h4 { break-after: avoid; }
  table, blockquote, .verdict { break-inside: avoid; }
}
)css";

std::string badge(Verdict v) {
    return "<span class=\"badge " + std::string(to_string(v)) + "\">" +
           std::string(verdict_label(v)) + "</span>";
}

std::string badges(const TestStats& s) {
    std::string out = badge(s.verdict);
    if (s.polarised) out += " <span class=\"badge divided\">Divided</span>";
    if (s.consensus)
        out += " <span class=\"badge consensus\">Consensus " + number(*s.consensus) + " · " +
               std::string(consensus_words(*s.consensus)) + "</span>";
    return out;
}

std::string scenario_badge(ScenarioVerdict v, bool big = false) {
    return "<span class=\"badge " + std::string(to_string(v)) + (big ? " big" : "") + "\">" +
           std::string(scenario_verdict_label(v)) + "</span>";
}

std::string score(std::optional<double> v) {
    return v ? number(*v, 0) + "/100" : "–";
}

std::string legend() {
    const auto& labels = scale_labels();
    std::string out = "<div class=\"legend\" aria-hidden=\"true\">";
    for (int p = 1; p <= 5; ++p)
        out += "<span style=\"--c:" + std::string(point_colour(p)) + "\">" + std::to_string(p) +
               " " + std::string(labels[static_cast<std::size_t>(p)]) + "</span>";
    return out + "</div>";
}

std::string numbers_line(const TestStats& s, std::optional<double> acceptability) {
    if (s.voters == 0) return "No votes.";
    std::string out = std::to_string(s.opinions) + (s.opinions == 1 ? " opinion" : " opinions");
    if (s.cant_say > 0) out += " · " + std::to_string(s.cant_say) + " can't say";
    if (s.opinions == 0) return out;
    out += " · median " + number(*s.median) + " · IQR " + number(*s.iqr) + " · mean " +
           number(*s.mean) + " · agreement " + percent(*s.agreement);
    if (acceptability) out += " · acceptability " + score(acceptability);
    return out;
}

void header(std::string& out, const Findings& f) {
    out += "<header><p class=\"kicker\">Findings report</p><h1>" + h(f.title) +
           "</h1><ul class=\"facts\">";
    for (const auto& fact : workshop_facts(f)) out += "<li>" + h(fact) + "</li>";
    out += "</ul></header>";
}

void summary(std::string& out, const Findings& f) {
    out +=
        "<section class=\"summary\"><h2>Summary</h2><table><thead><tr><th>Proposed use of "
        "data</th><th>Verdict</th><th class=\"num\">Acceptability</th>";
    for (const auto& t : f.framework.tests) out += "<th>" + h(t.name) + "</th>";
    out += "</tr></thead><tbody>";
    for (std::size_t i = 0; i < f.scenarios.size(); ++i) {
        const auto& s = f.scenarios[i];
        out += "<tr><td><a href=\"#scenario-" + std::to_string(i + 1) + "\">" +
               std::to_string(i + 1) + ". " + h(s.scenario.title) + "</a></td><td>" +
               scenario_badge(s.result.judgement.verdict) + "</td><td class=\"num\">" +
               score(s.result.judgement.acceptability) + "</td>";
        for (const auto& t : s.result.tests) {
            out += "<td>" + badge(t.overall.verdict);
            if (t.overall.polarised) out += " <span class=\"badge divided\">Divided</span>";
            out += "</td>";
        }
        out += "</tr>";
    }
    out += "</tbody></table>";
    out +=
        "<p class=\"note\">Each proposed use of data was judged against each test on a scale "
        "from 1 (clearly fails) to 5 (clearly meets). \"How to read this report\" at the end "
        "explains every measure.</p>";
    for (const auto& note : f.notes) out += "<p class=\"note\">" + h(note) + "</p>";
    out += "</section>";
}

void details(std::string& out, const Scenario& s) {
    out += "<p>" + h(s.description) + "</p>";
    const std::pair<const char*, const std::string*> fields[] = {
        {"Data involved", &s.data_involved},
        {"Who shares with whom", &s.sharing},
        {"Purpose", &s.purpose},
        {"Theme", &s.theme}};
    std::string rows;
    for (const auto& [label, value] : fields)
        if (!value->empty())
            rows += "<dt>" + std::string(label) + "</dt><dd>" + h(*value) + "</dd>";
    if (!rows.empty()) out += "<dl class=\"details\">" + rows + "</dl>";
}

void tests(std::string& out, const Findings& f, const ScenarioFindings& s) {
    out += "<h3>How the room voted</h3>" + legend();
    for (const auto& t : s.result.tests) {
        const auto name = test_name(f.framework, t.test);
        out += "<figure class=\"test\"><figcaption><strong>" + h(name) + "</strong> " +
               badges(t.overall) + "</figcaption>";
        out += diverging_bar_svg(
            t.overall, {}, "chart", name,
            " data-scenario=\"" + h(s.scenario.id) + "\" data-test=\"" + h(t.test) + "\"");
        if (t.overall.voters > 0)
            out += "<p class=\"numbers\">" + h(numbers_line(t.overall, t.acceptability)) + "</p>";
        out += "<p class=\"sentence\">" + h(test_sentence(t.overall, f.settings.verdict)) + "</p>";
        out += "</figure>";
    }
}

void multiples(std::string& out, const Findings& f, const RoundFindings& r, bool sectors) {
    const auto rows = breakdown_rows(r, sectors, sectors ? sector_ids() : f.areas);
    const auto k = std::to_string(f.settings.min_group_size);
    out += std::string("<h3>By ") + (sectors ? "sector" : "area") + "</h3>";
    if (rows.empty() || (rows.size() == 1 && rows.front().empty())) {
        out += "<p class=\"note\">No " + std::string(sectors ? "sector" : "area") +
               " had at least " + k + " opinions on a test, so none is shown on its own.</p>";
        return;
    }
    out += "<table class=\"multiples\"><thead><tr><th>" + std::string(sectors ? "Sector" : "Area") +
           "</th>";
    for (const auto& t : f.framework.tests) out += "<th>" + h(t.name) + "</th>";
    out += "</tr></thead><tbody>";
    ChartStyle small;
    small.width = 150;
    small.bar_height = 14;
    small.labels = false;
    for (const auto& name : rows) {
        std::string label = name.empty() ? "Small groups combined"
                            : sectors    ? std::string(sector_label(name))
                                         : name;
        out += "<tr><th scope=\"row\">" + h(label);
        out += "</th>";
        for (const auto& t : r.tests) {
            const auto* g = find_group(t, name, sectors);
            if (!g) {
                out += name.empty() ? "<td class=\"hidden\">none</td>"
                                    : "<td class=\"hidden\" title=\"Fewer than " + k +
                                          " opinions: combined with other small groups\">–</td>";
                continue;
            }
            out += "<td>" +
                   diverging_bar_svg(g->stats, small, sectors ? "sector-chart" : "area-chart",
                                     label + ", " + test_name(f.framework, t.test)) +
                   "<div class=\"cell\">" + badge(g->stats.verdict) + " median " +
                   (g->stats.median ? number(*g->stats.median) : "–") + " · " +
                   std::to_string(g->stats.opinions) + " opinions";
            if (g->stats.polarised) out += " · divided";
            out += "</div>";
            if (g->combined && !g->members.empty()) {
                std::vector<std::string> members;
                for (const auto& m : g->members)
                    members.push_back(sectors ? std::string(sector_label(m)) : m);
                out += "<div class=\"cell\">" + h(name_list(members)) + "</div>";
            }
            out += "</td>";
        }
        out += "</tr>";
    }
    out +=
        "</tbody></table><p class=\"note\">To protect participants, a group with fewer than " + k +
        " opinions on a test is not shown on its own (–) but combined with other small groups.</p>";
}

void disagreements(std::string& out, const Findings& f, const ScenarioFindings& s) {
    out += "<h3>Where areas disagree</h3>";
    if (!areas_comparable(s.result)) {
        out += "<p>" + h(no_area_comparison(f)) + "</p>";
        return;
    }
    if (s.disagreements.empty()) {
        out += "<p>The areas shown did not reach different verdicts, and no two medians were " +
               number(area_median_gap) + " or more points apart.</p>";
        return;
    }
    out += "<ul class=\"disagree\">";
    for (const auto& d : s.disagreements)
        out += "<li><strong>" + h(test_name(f.framework, d.test)) + ":</strong> " +
               h(disagreement_sentence(d)) + "</li>";
    out += "</ul>";
}

void shifts(std::string& out, const Findings& f, const ScenarioFindings& s) {
    if (s.shifts.empty()) return;
    auto change = [](const Change& c) {
        auto v = [](std::optional<double> x) { return x ? number(*x) : std::string("–"); };
        return v(c.from) + " → " + v(c.to);
    };
    out +=
        "<h3>Change between rounds</h3><table><thead><tr><th>Test</th><th>Rounds</th><th "
        "class=\"num\">Median</th><th class=\"num\">Consensus</th><th>Verdict</th></tr></"
        "thead><tbody>";
    for (const auto& sh : s.shifts)
        out += "<tr><td>" + h(test_name(f.framework, sh.test)) + "</td><td>" +
               std::to_string(sh.from_round) + " → " + std::to_string(sh.to_round) +
               "</td><td class=\"num\">" + change(sh.median) + "</td><td class=\"num\">" +
               change(sh.consensus) + "</td><td>" + badge(sh.verdict_from) + " → " +
               badge(sh.verdict_to) + "</td></tr>";
    out += "</tbody></table>";
}

void comments(std::string& out, const Findings& f, const ScenarioFindings& s) {
    out += "<h3>Key comments</h3>";
    if (s.comments.empty()) {
        out += "<p class=\"note\">No comments.</p>";
        return;
    }
    std::string current_test = "\x01";
    for (const auto& g : s.comments) {
        if (g.test != current_test) {
            out += "<h4>" + h(test_name(f.framework, g.test)) + "</h4>";
            current_test = g.test;
        }
        out += "<h5>" + std::string(kind_heading(g.kind)) + "</h5>";
        const auto shown = comments_to_show(g, report_comments_per_group);
        for (const auto* c : shown)
            out += std::string("<blockquote class=\"comment") + (c->pinned ? " pinned" : "") +
                   "\"><p>" + h(c->text) + "</p><footer>" +
                   h(comment_attribution(*c, f.sessions.size() > 1)) + "</footer></blockquote>";
        if (shown.size() < g.comments.size())
            out += "<p class=\"note\">And " + std::to_string(g.comments.size() - shown.size()) +
                   " more in comments.csv.</p>";
    }
}

void scenario(std::string& out, const Findings& f, const ScenarioFindings& s, std::size_t number) {
    const auto& r = s.result;
    out += "<section class=\"scenario\" id=\"scenario-" + std::to_string(number) + "\"><h2>" +
           std::to_string(number) + ". " + h(s.scenario.title) + "</h2>";
    details(out, s.scenario);
    out += "<div class=\"verdict " + std::string(to_string(r.judgement.verdict)) + "\"><p>" +
           scenario_badge(r.judgement.verdict, true) + "</p><p>" +
           h(scenario_sentence(r, f.framework)) + "</p><p class=\"score\">";
    if (r.judgement.acceptability)
        out += "Acceptability " + score(r.judgement.acceptability) + " · ";
    out += h(result_round_label(s)) + "</p></div>";
    tests(out, f, s);
    if (has_votes(r)) {
        multiples(out, f, r, false);
        multiples(out, f, r, true);
        disagreements(out, f, s);
    }
    shifts(out, f, s);
    comments(out, f, s);
    out += "</section>";
}

}  // namespace

std::string report_html(const Findings& f, std::optional<TimeMs> generated_at) {
    std::string out =
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta "
        "name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
        h(f.title) + " – findings</title><style>" + style_sheet + "</style></head><body><main>";
    header(out, f);
    summary(out, f);
    for (std::size_t i = 0; i < f.scenarios.size(); ++i) scenario(out, f, f.scenarios[i], i + 1);
    out += "<section class=\"method\"><h2>How to read this report</h2>";
    for (const auto& p : method_section(f.settings))
        out += "<h3>" + h(p.heading) + "</h3><p>" + h(p.text) + "</p>";
    out += "</section><footer class=\"made\">Made by Quorum";
    if (generated_at) out += " on " + h(long_date(*generated_at));
    out += ". Figures are worked out from every participant's last vote in each round.</footer>";
    out += "</main></body></html>\n";
    return out;
}

}  // namespace quorum::exports
