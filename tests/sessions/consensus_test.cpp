#include "sessions/consensus.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <initializer_list>
#include <utility>

// Every expected value below is worked out by hand in the comments beside it. Notation: the sorted
// list of opinions is numbered from position 1; Cns is the Tastle-Wierman consensus
// 1 + sum p_i * log2(1 - |X_i - mean| / 4).

namespace {

using quorum::Histogram;
using quorum::Verdict;

/// Builds a histogram from {point, count} pairs; point 0 is "can't say".
Histogram histogram_of(std::initializer_list<std::pair<int, std::uint32_t>> counts) {
    Histogram histogram;
    for (const auto& [point, count] : counts) {
        histogram.counts.at(static_cast<std::size_t>(point)) = count;
    }
    return histogram;
}

}  // namespace

TEST_CASE("to_string names every verdict") {
    CHECK(quorum::to_string(Verdict::meets) == "meets");
    CHECK(quorum::to_string(Verdict::fails) == "fails");
    CHECK(quorum::to_string(Verdict::contested) == "contested");
    CHECK(quorum::to_string(Verdict::insufficient) == "insufficient");
}

TEST_CASE("unanimous 4s: full consensus, meets") {
    // 7 opinions, all 4. Sorted: 4 4 4 4 4 4 4.
    const auto stats = quorum::compute_stats(histogram_of({{4, 7}}));

    CHECK(stats.voters == 7);
    CHECK(stats.opinions == 7);
    CHECK(stats.cant_say == 0);
    CHECK(stats.distribution == std::array<std::uint32_t, 5>{0, 0, 0, 7, 0});
    CHECK(*stats.median == 4.0);  // position 4
    CHECK(*stats.mean == 4.0);    // 28 / 7
    CHECK(*stats.q1 == 4.0);      // lower half = positions 1..3, all 4
    CHECK(*stats.q3 == 4.0);      // upper half = positions 5..7, all 4
    CHECK(*stats.iqr == 0.0);
    // Cns = 1 + 1 * log2(1 - |4 - 4| / 4) = 1 + log2(1) = 1
    CHECK(*stats.consensus == Approx(1.0));
    CHECK(stats.share_low == 0.0);
    CHECK(stats.share_mid == 0.0);
    CHECK(stats.share_high == 1.0);
    CHECK(*stats.agreement == 1.0);
    CHECK_FALSE(stats.polarised);
    CHECK(stats.verdict == Verdict::meets);  // median 4 >= 4, Cns 1 >= 0.6, not polarised
    // 100 * (4 - 1) / 4 = 75
    CHECK(*quorum::acceptability_score(stats) == Approx(75.0));
}

TEST_CASE("one opinion on each point") {
    // Sorted: 1 2 3 4 5 (n = 5, odd).
    const auto stats =
        quorum::compute_stats(histogram_of({{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}));

    CHECK(*stats.median == 3.0);  // position 3
    CHECK(*stats.mean == 3.0);    // 15 / 5
    CHECK(*stats.q1 == 1.5);      // lower half {1, 2} (median excluded): (1 + 2) / 2
    CHECK(*stats.q3 == 4.5);      // upper half {4, 5}: (4 + 5) / 2
    CHECK(*stats.iqr == 3.0);     // 4.5 - 1.5

    // Distances |X - 3| / 4: 2/4, 1/4, 0, 1/4, 2/4, so the log2 arguments are 0.5, 0.75, 1, 0.75,
    // 0.5. Cns = 1 + 2*0.2*log2(0.5) + 2*0.2*log2(0.75) + 0.2*log2(1)
    //     = 1 + 0.4*(-1) + 0.4*(-0.4150375) + 0
    //     = 1 - 0.4 - 0.1660150 = 0.4339850
    const double by_formula = 1.0 + 2 * 0.2 * std::log2(0.5) + 2 * 0.2 * std::log2(0.75);
    CHECK(*stats.consensus == Approx(by_formula));
    CHECK(*stats.consensus == Approx(0.4339850).epsilon(1e-6));

    CHECK(stats.share_low == Approx(0.4));   // 2 / 5
    CHECK(stats.share_mid == Approx(0.2));   // 1 / 5
    CHECK(stats.share_high == Approx(0.4));  // 2 / 5
    CHECK(*stats.agreement == Approx(0.4));
    CHECK(stats.polarised);  // 0.4 >= 0.30 at both ends
    CHECK(stats.verdict == Verdict::contested);
    CHECK(*quorum::acceptability_score(stats) == Approx(50.0));  // 100 * (3 - 1) / 4
}

TEST_CASE("two camps at the extremes: zero consensus, polarised") {
    // 5 x 1 and 5 x 5. Sorted: 1 1 1 1 1 5 5 5 5 5 (n = 10, even).
    const auto stats = quorum::compute_stats(histogram_of({{1, 5}, {5, 5}}));

    CHECK(*stats.median == 3.0);  // (position 5 + position 6) / 2 = (1 + 5) / 2
    CHECK(*stats.mean == 3.0);    // (5 + 25) / 10
    CHECK(*stats.q1 == 1.0);      // lower half = positions 1..5, all 1
    CHECK(*stats.q3 == 5.0);      // upper half = positions 6..10, all 5
    CHECK(*stats.iqr == 4.0);
    // Cns = 1 + 0.5*log2(1 - 2/4) + 0.5*log2(1 - 2/4) = 1 + 0.5*(-1) + 0.5*(-1) = 0
    CHECK(*stats.consensus == Approx(0.0).margin(1e-12));
    CHECK(stats.share_low == 0.5);
    CHECK(stats.share_high == 0.5);
    CHECK(*stats.agreement == 0.5);
    CHECK(stats.polarised);
    CHECK(stats.verdict == Verdict::contested);
}

TEST_CASE("polarisation blocks a verdict that median and consensus alone would give") {
    // 4 x 1 and 6 x 5. Sorted: 1 1 1 1 5 5 5 5 5 5.
    // median = (position 5 + position 6) / 2 = (5 + 5) / 2 = 5; mean = (4 + 30) / 10 = 3.4
    // Cns = 1 + 0.4*log2(1 - 2.4/4) + 0.6*log2(1 - 1.6/4) = 1 + 0.4*log2(0.4) + 0.6*log2(0.6)
    //     = 1 + 0.4*(-1.3219281) + 0.6*(-0.7369656) = 1 - 0.5287712 - 0.4421794 = 0.0290494
    const auto histogram = histogram_of({{1, 4}, {5, 6}});
    quorum::VerdictThresholds lenient;
    lenient.min_consensus = 0.0;  // Leave polarisation as the only obstacle.

    const auto stats = quorum::compute_stats(histogram, lenient);
    CHECK(*stats.median == 5.0);
    CHECK(*stats.mean == Approx(3.4));
    CHECK(*stats.consensus == Approx(0.0290494).epsilon(1e-5));
    CHECK(stats.share_low == Approx(0.4));
    CHECK(stats.share_high == Approx(0.6));
    CHECK(*stats.agreement == Approx(0.6));
    CHECK(stats.polarised);  // 0.4 and 0.6 both >= 0.30
    CHECK(stats.verdict == Verdict::contested);

    lenient.polarised_share = 0.5;  // 0.4 < 0.5: no longer polarised
    const auto relaxed = quorum::compute_stats(histogram, lenient);
    CHECK_FALSE(relaxed.polarised);
    CHECK(relaxed.verdict == Verdict::meets);
}

TEST_CASE("a single opinion") {
    // One opinion of 2.
    const auto stats = quorum::compute_stats(histogram_of({{2, 1}}));

    CHECK(stats.voters == 1);
    CHECK(stats.opinions == 1);
    CHECK(*stats.median == 2.0);
    CHECK(*stats.mean == 2.0);
    CHECK(*stats.q1 == 2.0);  // n = 1: q1 = q3 = median
    CHECK(*stats.q3 == 2.0);
    CHECK(*stats.iqr == 0.0);
    CHECK(*stats.consensus == Approx(1.0));  // 1 + 1*log2(1 - 0/4)
    CHECK(stats.share_low == 1.0);
    CHECK(*stats.agreement == 1.0);
    CHECK_FALSE(stats.polarised);
    CHECK(stats.verdict == Verdict::fails);                      // median 2 <= 2, Cns 1 >= 0.6
    CHECK(*quorum::acceptability_score(stats) == Approx(25.0));  // 100 * (2 - 1) / 4

    quorum::VerdictThresholds need_three;
    need_three.min_opinions = 3;
    CHECK(quorum::compute_stats(histogram_of({{2, 1}}), need_three).verdict ==
          Verdict::insufficient);
}

TEST_CASE("only \"can't say\" votes") {
    const auto stats = quorum::compute_stats(histogram_of({{0, 4}}));

    CHECK(stats.voters == 4);
    CHECK(stats.opinions == 0);
    CHECK(stats.cant_say == 4);
    CHECK(stats.distribution == std::array<std::uint32_t, 5>{0, 0, 0, 0, 0});
    CHECK_FALSE(stats.median);
    CHECK_FALSE(stats.mean);
    CHECK_FALSE(stats.q1);
    CHECK_FALSE(stats.q3);
    CHECK_FALSE(stats.iqr);
    CHECK_FALSE(stats.consensus);
    CHECK_FALSE(stats.agreement);
    CHECK(stats.share_low == 0.0);
    CHECK(stats.share_mid == 0.0);
    CHECK(stats.share_high == 0.0);
    CHECK_FALSE(stats.polarised);
    CHECK(stats.verdict == Verdict::insufficient);
    CHECK_FALSE(quorum::acceptability_score(stats));
}

TEST_CASE("no votes at all is insufficient even when no minimum is set") {
    quorum::VerdictThresholds no_minimum;
    no_minimum.min_opinions = 0;
    const auto stats = quorum::compute_stats(Histogram{}, no_minimum);
    CHECK(stats.voters == 0);
    CHECK_FALSE(stats.median);
    CHECK(stats.verdict == Verdict::insufficient);
}

TEST_CASE("worked example over all five points") {
    // Counts {1:1, 2:2, 3:3, 4:6, 5:8} plus 2 "can't say"; n = 20.
    // Sorted positions: 1 -> 1; 2 -> 2..3; 3 -> 4..6; 4 -> 7..12; 5 -> 13..20.
    const auto stats =
        quorum::compute_stats(histogram_of({{0, 2}, {1, 1}, {2, 2}, {3, 3}, {4, 6}, {5, 8}}));

    CHECK(stats.voters == 22);
    CHECK(stats.opinions == 20);
    CHECK(stats.cant_say == 2);
    CHECK(stats.distribution == std::array<std::uint32_t, 5>{1, 2, 3, 6, 8});
    CHECK(*stats.median == 4.0);  // (position 10 + position 11) / 2 = (4 + 4) / 2
    CHECK(*stats.q1 == 3.0);      // lower half 1..10: (position 5 + position 6) / 2 = (3 + 3) / 2
    CHECK(*stats.q3 == 5.0);  // upper half 11..20: (position 15 + position 16) / 2 = (5 + 5) / 2
    CHECK(*stats.iqr == 2.0);
    // sum = 1*1 + 2*2 + 3*3 + 4*6 + 5*8 = 1 + 4 + 9 + 24 + 40 = 78; mean = 78 / 20 = 3.9
    CHECK(*stats.mean == Approx(3.9));

    // Shares p = 0.05, 0.10, 0.15, 0.30, 0.40.
    // |X - 3.9| / 4 = 2.9/4, 1.9/4, 0.9/4, 0.1/4, 1.1/4 = 0.725, 0.475, 0.225, 0.025, 0.275
    // log2 arguments 0.275, 0.525, 0.775, 0.975, 0.725;
    // log2 of them  -1.8624965, -0.9296107, -0.3677318, -0.0365259, -0.4639471
    // weighted:     -0.0931248, -0.0929611, -0.0551598, -0.0109578, -0.1855788  sum -0.4377823
    // Cns = 1 - 0.4377823 = 0.5622177
    CHECK(*stats.consensus == Approx(0.5622177).epsilon(1e-6));

    CHECK(stats.share_low == Approx(0.15));   // (1 + 2) / 20
    CHECK(stats.share_mid == Approx(0.15));   // 3 / 20
    CHECK(stats.share_high == Approx(0.70));  // (6 + 8) / 20
    CHECK(*stats.agreement == Approx(0.70));
    CHECK_FALSE(stats.polarised);  // 0.15 < 0.30
    // median 4 is high enough but Cns 0.562 < 0.6
    CHECK(stats.verdict == Verdict::contested);
    CHECK(*quorum::acceptability_score(stats) == Approx(72.5));  // 100 * 2.9 / 4

    quorum::VerdictThresholds looser;
    looser.min_consensus = 0.5;
    CHECK(quorum::compute_stats(histogram_of({{1, 1}, {2, 2}, {3, 3}, {4, 6}, {5, 8}}), looser)
              .verdict == Verdict::meets);
}

TEST_CASE("quartiles of an odd count leave the median out of both halves") {
    // Sorted: 1 2 3 3 4 4 5 (n = 7). Median = position 4 = 3.
    // Lower half positions 1..3 = {1, 2, 3} -> 2; upper half positions 5..7 = {4, 4, 5} -> 4.
    const auto stats =
        quorum::compute_stats(histogram_of({{1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 1}}));
    CHECK(*stats.median == 3.0);
    CHECK(*stats.q1 == 2.0);
    CHECK(*stats.q3 == 4.0);
    CHECK(*stats.iqr == 2.0);
}

TEST_CASE("two opinions: each half holds one") {
    // Sorted: 2 5. median = (2 + 5) / 2 = 3.5; q1 = 2; q3 = 5.
    const auto stats = quorum::compute_stats(histogram_of({{2, 1}, {5, 1}}));
    CHECK(*stats.median == 3.5);
    CHECK(*stats.q1 == 2.0);
    CHECK(*stats.q3 == 5.0);
    CHECK(*stats.iqr == 3.0);
}

TEST_CASE("thresholds are configurable") {
    // 6 x 4 and 4 x 5. Sorted: 4 4 4 4 4 4 5 5 5 5.
    // median = (position 5 + position 6) / 2 = 4; mean = (24 + 20) / 10 = 4.4
    // Cns = 1 + 0.6*log2(1 - 0.4/4) + 0.4*log2(1 - 0.6/4) = 1 + 0.6*log2(0.9) + 0.4*log2(0.85)
    //     = 1 + 0.6*(-0.1520031) + 0.4*(-0.2344653) = 1 - 0.0912019 - 0.0937861 = 0.8150120
    const auto histogram = histogram_of({{4, 6}, {5, 4}});

    const auto by_default = quorum::compute_stats(histogram);
    CHECK(*by_default.median == 4.0);
    CHECK(*by_default.mean == Approx(4.4));
    CHECK(*by_default.consensus == Approx(0.8150120).epsilon(1e-6));
    CHECK(by_default.verdict == Verdict::meets);  // 4 >= 4 and 0.815 >= 0.6

    quorum::VerdictThresholds stricter_consensus;
    stricter_consensus.min_consensus = 0.9;  // 0.815 < 0.9
    CHECK(quorum::compute_stats(histogram, stricter_consensus).verdict == Verdict::contested);

    quorum::VerdictThresholds higher_bar;
    higher_bar.meets_median = 4.5;  // median 4 < 4.5
    CHECK(quorum::compute_stats(histogram, higher_bar).verdict == Verdict::contested);

    quorum::VerdictThresholds need_more;
    need_more.min_opinions = 11;  // only 10 opinions
    CHECK(quorum::compute_stats(histogram, need_more).verdict == Verdict::insufficient);
}

TEST_CASE("agreement counts the larger side and ignores the neutral middle") {
    // 1 x 2, 6 x 3, 3 x 4 (n = 10): low 1/10, mid 6/10, high 3/10.
    const auto stats = quorum::compute_stats(histogram_of({{2, 1}, {3, 6}, {4, 3}}));
    CHECK(stats.share_low == Approx(0.1));
    CHECK(stats.share_mid == Approx(0.6));
    CHECK(stats.share_high == Approx(0.3));
    CHECK(*stats.agreement == Approx(0.3));  // max(0.1, 0.3); the six 3s count for neither side
    CHECK_FALSE(stats.polarised);            // 0.1 < 0.30

    // The low side wins when it is larger: 4 x 1, 3 x 2, 1 x 5 -> low 7/8, high 1/8.
    const auto low = quorum::compute_stats(histogram_of({{1, 4}, {2, 3}, {5, 1}}));
    CHECK(*low.agreement == Approx(0.875));
}

TEST_CASE("a clear failure") {
    // 3 x 1, 5 x 2, 1 x 3, 1 x 5 (n = 10). Sorted positions: 1 -> 1..3; 2 -> 4..8; 3 -> 9; 5 -> 10.
    // median = (position 5 + position 6) / 2 = (2 + 2) / 2 = 2
    // q1 = median of positions 1..5 = position 3 = 1; q3 = median of positions 6..10 = position 8 =
    // 2 mean = (3 + 10 + 3 + 5) / 10 = 2.1 |X - 2.1| / 4 for X = 1, 2, 3, 5: 1.1/4, 0.1/4,
    // 0.9/4, 2.9/4 = 0.275, 0.025, 0.225, 0.725 Cns = 1 + 0.3*log2(0.725) + 0.5*log2(0.975) +
    // 0.1*log2(0.775) + 0.1*log2(0.275)
    //     = 1 + 0.3*(-0.4639471) + 0.5*(-0.0365259) + 0.1*(-0.3677318) + 0.1*(-1.8624965)
    //     = 1 - 0.1391841 - 0.0182630 - 0.0367732 - 0.1862497 = 0.6195300
    const auto stats = quorum::compute_stats(histogram_of({{1, 3}, {2, 5}, {3, 1}, {5, 1}}));
    CHECK(*stats.median == 2.0);
    CHECK(*stats.q1 == 1.0);
    CHECK(*stats.q3 == 2.0);
    CHECK(*stats.iqr == 1.0);
    CHECK(*stats.mean == Approx(2.1));
    CHECK(*stats.consensus == Approx(0.6195300).epsilon(1e-6));
    CHECK(stats.share_low == Approx(0.8));   // 8 / 10
    CHECK(stats.share_high == Approx(0.1));  // 1 / 10
    CHECK(*stats.agreement == Approx(0.8));
    CHECK_FALSE(stats.polarised);
    CHECK(stats.verdict == Verdict::fails);                      // 2 <= 2 and 0.6195 >= 0.6
    CHECK(*quorum::acceptability_score(stats) == Approx(27.5));  // 100 * 1.1 / 4
}
