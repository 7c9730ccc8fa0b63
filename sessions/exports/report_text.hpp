#pragma once
// The plain-English wording shared by the reports and the transcript: labels, numbers and the
// sentences that explain a verdict. Returns plain text; each format escapes it.
#include <string>
#include <string_view>
#include <vector>

#include "sessions/aggregate.hpp"

namespace quorum::exports {

/// At most `decimals` decimals, trailing zeros dropped: 4 -> "4", 3.50 -> "3.5".
std::string number(double value, int decimals = 2);
/// A share as a whole percentage: 0.784 -> "78%".
std::string percent(double share);
/// "A", "A and B", "A, B and C".
std::string name_list(const std::vector<std::string>& names);

/// "Meets", "Fails", "Contested", "Not enough votes".
std::string_view verdict_label(Verdict verdict);
/// "Justified", "Not justified", "Contested", "Not yet assessed".
std::string_view scenario_verdict_label(ScenarioVerdict verdict);
/// "strong agreement", "broad agreement", "mixed views" or "little agreement".
std::string_view consensus_words(double consensus);
/// The test's name, e.g. "Proportionate"; "The scenario as a whole" for an empty id.
std::string test_name(const Framework& framework, const std::string& test_id);
/// "Public sector", "Voluntary sector", "Other sector", "Sector not given".
std::string_view sector_label(std::string_view sector_id);
/// An area or sector group as people should read it; "Small groups combined" for the pooled group.
std::string group_label(const GroupStats& group, bool sectors);
/// "Benefits", "Risks", "Questions", "Suggestions".
std::string_view kind_heading(CommentKind kind);
/// "benefit", "risk", ...
std::string_view kind_word(CommentKind kind);

/// One sentence on a test's result, e.g. "Meets: 78% said it mostly or clearly meets the test;
/// median 4, broad agreement (consensus 0.71)."
std::string test_sentence(const TestStats& stats, const VerdictThresholds& thresholds);
/// The reason for the scenario's verdict, naming failing or weakest tests (without the verdict's
/// label, which reports show beside it).
std::string scenario_sentence(const RoundFindings& result, const Framework& framework);
/// Where areas disagree on one test, e.g. "meets in Camden; fails in Norfolk. Medians range from
/// 4.5 (Camden) to 2 (Norfolk)."
std::string disagreement_sentence(const AreaDisagreement& disagreement);
/// True when anyone voted (or said "can't say") on any test of the result.
bool has_votes(const RoundFindings& result);
/// Which round a result comes from, e.g. "Round 2 (the last of 2)".
std::string result_round_label(const ScenarioFindings& scenario);

/// Who took part and when, one line per fact, e.g. "Held on 10 March 2026 in 6 areas: ...".
std::vector<std::string> workshop_facts(const Findings& findings);

/// The comments of a group that a report shows: pinned ones, then the most endorsed, up to
/// `limit` in all (pinned ones are never dropped).
std::vector<const KeyComment*> comments_to_show(const CommentGroup& group, std::size_t limit);

/// "P07 (Camden), round 1 · 3 endorsements · pinned by the facilitator"
std::string comment_attribution(const KeyComment& comment, bool several_sessions);

/// The rows of a by-area (or by-sector) table: the groups shown for any test of a result, in
/// `order`, then "" for the combined group if it is shown for any test.
std::vector<std::string> breakdown_rows(const RoundFindings& result, bool sectors,
                                        const std::vector<std::string>& order);
/// Sector ids in the order reports show them.
std::vector<std::string> sector_ids();
/// The group of a test with this name ("" for the combined group), or null if it is not shown.
const GroupStats* find_group(const TestFindings& test, const std::string& name, bool sectors);

/// True when at least two areas are shown on their own for some test, so areas can be compared.
bool areas_comparable(const RoundFindings& result);
/// Why areas cannot be compared, e.g. "No area had at least 5 opinions on a test, ...".
std::string no_area_comparison(const Findings& findings);

struct MethodParagraph {
    std::string heading;
    std::string text;
};
/// "How to read this report": every measure and rule in plain words, with this session's numbers.
std::vector<MethodParagraph> method_section(const SessionSettings& settings);

}  // namespace quorum::exports
