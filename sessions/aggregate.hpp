#pragma once
// Findings: what a workshop concluded, per scenario, test and round, overall and per area and
// sector, with small groups protected. Pure: built from the live tallies of a Session (or of
// several, for a synthesis across workshops), never by going back over individual votes, so it
// costs O(scenarios x rounds x tests x groups) whatever the number of voters.
//
// The measures themselves come from consensus.hpp; docs/FINDINGS.md explains every rule here.
#include <optional>
#include <string>
#include <vector>

#include "sessions/consensus.hpp"
#include "sessions/session.hpp"

namespace quorum {

/// "P07": how a participant is named wherever their name is not to be shown.
std::string pseudonym(ParticipantId id);

/// "P07 (Leeds)", or "Asha (Leeds)" when names are asked for and the participant gave one.
std::string participant_label(const Session& session, const ParticipantState& participant,
                              bool names);

/// A tally of one test: overall and per group, before small groups are protected.
struct RawTally {
    Histogram overall;
    std::vector<std::pair<std::string, Histogram>> by_area;  // in display order
    std::vector<std::pair<std::string, Histogram>> by_sector;
};

/// One published breakdown. `combined` is the "other" group: every group too small to show on
/// its own, pooled; `members` names the groups in it.
struct GroupStats {
    std::string group;
    TestStats stats;
    bool combined = false;
    std::vector<std::string> members;
};

/// Protects small groups: a group with fewer than `k` opinions is not shown on its own but pooled
/// into "other". If "other" then holds some opinions but fewer than `k`, the smallest shown groups
/// join it until it reaches `k`, so that subtracting the shown groups from the overall figures can
/// never reveal a small group. "other" is shown only when it holds at least `k` opinions.
std::vector<GroupStats> protect_small_groups(
    const std::vector<std::pair<std::string, Histogram>>& groups, std::uint32_t k,
    const VerdictThresholds& thresholds);

struct TestFindings {
    std::string test;  // framework test id
    TestStats overall;
    std::optional<double> acceptability;  // 0..100, see acceptability_score()
    std::vector<GroupStats> by_area;      // published groups only (see protect_small_groups)
    std::vector<GroupStats> by_sector;
};

/// Builds the findings of one test from its tally.
TestFindings summarise(const std::string& test, const RawTally& tally,
                       const SessionSettings& settings);

enum class ScenarioVerdict { justified, not_justified, contested, insufficient };
/// "justified", "not_justified", "contested", "insufficient".
std::string_view to_string(ScenarioVerdict verdict);

struct ScenarioJudgement {
    ScenarioVerdict verdict = ScenarioVerdict::insufficient;
    std::vector<std::string> failing_tests;  // not_justified: every test that fails
    std::string weakest_test;                // contested: the test that held it back
    std::vector<std::string> unassessed;     // tests without enough opinions
    /// Mean of the tests' acceptability scores (0..100); empty when no test has opinions.
    std::optional<double> acceptability;
};

/// Justified when every test meets; not justified when any fails; insufficient when a test lacks
/// opinions (and none fails); contested otherwise, naming the weakest test that did not meet
/// (lowest median, then lowest mean, then lowest consensus).
ScenarioJudgement judge(const std::vector<TestFindings>& tests);

struct RoundFindings {
    int round = 1;
    bool revealed = false;
    std::vector<TestFindings> tests;  // in framework order
    ScenarioJudgement judgement;
};

/// Where areas see a test differently: their verdicts differ, or their medians are at least
/// `area_median_gap` apart. Only published, non-combined area groups take part.
struct AreaDisagreement {
    std::string test;
    bool verdicts_differ = false;
    bool medians_apart = false;
    std::vector<std::pair<Verdict, std::vector<std::string>>>
        by_verdict;  // meets, contested, fails
    double highest_median = 0, lowest_median = 0;
    std::vector<std::string> highest, lowest;  // the areas at each end
};

constexpr double area_median_gap = 2.0;

std::vector<AreaDisagreement> area_disagreements(const std::vector<TestFindings>& tests);

struct Change {
    std::optional<double> from, to;
};

/// How one test moved from one round to the next.
struct RoundShift {
    std::string test;
    int from_round = 1, to_round = 2;
    Change median, mean, consensus;
    Verdict verdict_from = Verdict::insufficient, verdict_to = Verdict::insufficient;
};

std::vector<RoundShift> round_shifts(const std::vector<RoundFindings>& rounds);

struct KeyComment {
    CommentId id = 0;
    std::string session;   // join code
    std::string scenario;  // the scenario's id in that session
    int round = 1;
    std::string test;  // empty: on the scenario as a whole
    CommentKind kind = CommentKind::question;
    std::string text;
    std::string author;  // participant_label()
    std::size_t endorsements = 0;
    bool pinned = false;
    TimeMs at = 0;
};

/// Comments on one test (or on the scenario as a whole) of one kind, most important first.
struct CommentGroup {
    std::string test;  // empty: on the scenario as a whole
    CommentKind kind = CommentKind::question;
    std::vector<KeyComment> comments;
};

/// Orders comments pinned first, then by endorsements, then oldest first; groups them by test
/// (framework order, then the scenario as a whole) and kind (benefit, risk, question, suggestion).
std::vector<CommentGroup> group_comments(std::vector<KeyComment> comments,
                                         const Framework& framework);

/// Where a synthesised scenario came from.
struct ScenarioSource {
    std::string session;       // join code
    std::string scenario;      // id in that session
    std::optional<int> round;  // the round used; empty when it was never voted on
};

struct ScenarioFindings {
    Scenario scenario;
    std::vector<ScenarioSource> sources;
    /// The result to publish: the last round with votes (one session), or every session's last
    /// round with votes pooled (synthesis, where `result.round` is 0).
    RoundFindings result;
    std::vector<RoundFindings> rounds;            // every round, in order (one session only)
    std::vector<AreaDisagreement> disagreements;  // in the result
    std::vector<RoundShift> shifts;
    std::vector<CommentGroup> comments;  // hidden comments are left out
};

struct SessionSummary {
    std::string code;
    std::string title;
    std::vector<std::string> areas;
    std::size_t participants = 0;  // joined, observers included
    std::size_t voters = 0;        // participants who cast at least one vote
    std::size_t observers = 0;
    TimeMs started_at = 0;
    bool ended = false;
};

struct Findings {
    std::string title;
    std::vector<SessionSummary> sessions;
    Framework framework;
    SessionSettings settings;
    bool names = false;
    std::vector<std::string> areas;  // every area, in order
    std::vector<ScenarioFindings> scenarios;
    std::vector<std::string> notes;  // caveats worth printing, e.g. differing settings
};

struct FindingsOptions {
    bool names = false;  // label comment authors by name instead of pseudonym
};

/// The findings of one session, from its live tallies.
Findings build_findings(const Session& session, const FindingsOptions& options = {});

/// One synthesis of several sessions that share a framework: scenarios are matched by an explicit
/// id (one not of the generated form "s<n>") or by title (ignoring case, spaces and
/// punctuation), and each session's last round with votes is pooled. Throws
/// std::invalid_argument when the sessions do not share a framework or none is given.
Findings synthesise(const std::vector<const Session*>& sessions,
                    const FindingsOptions& options = {});

}  // namespace quorum
