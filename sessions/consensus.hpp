#pragma once
// Statistics and verdict for one tested statement, derived purely from its Histogram.
//
// Definitions, all over "opinions" (votes on points 1..5; "can't say" votes are counted but never
// enter a statistic):
// - median: median of the sorted list of opinions; for an even count, the average of the two middle
//   values.
// - q1 / q3: Tukey hinges, i.e. the medians of the lower and upper halves of the sorted list. With
// an
//   odd count the median element belongs to neither half. With a single opinion q1 = q3 = median.
//   iqr = q3 - q1.
// - mean: arithmetic mean of the points.
// - consensus: Tastle-Wierman measure, Cns = 1 + sum_i p_i * log2(1 - |X_i - mean| / d), where X_i
// are
//   the points 1..5, p_i the share of opinions at X_i and d = 5 - 1 = 4 the width of the scale.
//   Points nobody chose contribute 0. It is 1 when everyone agrees and 0 for an even split between
//   1 and 5; the result is clamped to [0, 1] against rounding.
// - share_low / share_mid / share_high: shares of opinions at 1-2, at 3 and at 4-5.
// - agreement: the larger of share_low and share_high, so how many opinions sit on the side most
//   people chose; the neutral 3s count for neither side.
// - polarised: both share_low and share_high reach VerdictThresholds::polarised_share.
//
// Every optional is empty, and every share 0, when there are no opinions.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sessions/histogram.hpp"

namespace quorum {

/// Limits that turn statistics into a verdict; configurable per session.
struct VerdictThresholds {
    double meets_median = 4.0;       ///< "meets" needs median >= this ...
    double fails_median = 2.0;       ///< "fails" needs median <= this ...
    double min_consensus = 0.6;      ///< ... and, for either, consensus >= this and not polarised.
    double polarised_share = 0.30;   ///< Both ends (1-2 and 4-5) at or above this share: polarised.
    std::uint32_t min_opinions = 1;  ///< Fewer opinions than this: "insufficient".
    bool operator==(const VerdictThresholds&) const = default;
};

/// Outcome for one statement. "contested" covers everything that is neither a clear pass nor a
/// clear failure: a middling median, too little consensus, or a polarised vote.
enum class Verdict { meets, fails, contested, insufficient };

/// "meets", "fails", "contested" or "insufficient".
std::string_view to_string(Verdict verdict);

/// Everything shown for a statement; see the definitions at the top of this header.
struct TestStats {
    std::uint32_t voters = 0;    ///< Opinions plus "can't say".
    std::uint32_t opinions = 0;  ///< Votes on points 1..5.
    std::uint32_t cant_say = 0;
    std::array<std::uint32_t, 5> distribution{};  ///< Counts for points 1..5 (index 0 is point 1).
    std::optional<double> median, mean, q1, q3, iqr;
    std::optional<double> consensus;  ///< Tastle-Wierman, 0..1.
    std::optional<double> agreement;  ///< max(share_low, share_high).
    double share_low = 0.0;           ///< Share of opinions at 1-2.
    double share_mid = 0.0;           ///< Share of opinions at 3.
    double share_high = 0.0;          ///< Share of opinions at 4-5.
    bool polarised = false;
    Verdict verdict = Verdict::insufficient;
};

/// Derives all statistics and the verdict. The verdict is "insufficient" when there are no opinions
/// or fewer than min_opinions; otherwise "meets" when median >= meets_median, consensus >=
/// min_consensus and not polarised; "fails" when median <= fails_median, consensus >= min_consensus
/// and not polarised; "contested" otherwise.
TestStats compute_stats(const Histogram& histogram, const VerdictThresholds& thresholds = {});

/// The mean mapped linearly onto 0..100: 100 * (mean - 1) / 4, so all 1s score 0, all 3s score 50
/// and all 5s score 100. Empty when there are no opinions.
std::optional<double> acceptability_score(const TestStats& stats);

}  // namespace quorum
