#include "sessions/consensus.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace quorum {
namespace {

constexpr int lowest_point = 1;
constexpr int highest_point = 5;
constexpr double scale_width = highest_point - lowest_point;

/// The point at 0-based position `index` of the sorted list of opinions, read off the counts so the
/// list never has to be materialised.
double point_at(const std::array<std::uint32_t, 5>& distribution, std::uint32_t index) {
    for (std::size_t i = 0; i < distribution.size(); ++i) {
        if (index < distribution[i]) return static_cast<double>(lowest_point + static_cast<int>(i));
        index -= distribution[i];
    }
    std::abort();  // Callers only ask for positions below the number of opinions.
}

/// Median of the sorted sub-list [first, first + count); count must be positive.
double median_of_range(const std::array<std::uint32_t, 5>& distribution, std::uint32_t first,
                       std::uint32_t count) {
    const std::uint32_t middle = first + count / 2;
    if (count % 2 == 1) return point_at(distribution, middle);
    return (point_at(distribution, middle - 1) + point_at(distribution, middle)) / 2.0;
}

double tastle_wierman(const std::array<std::uint32_t, 5>& distribution, std::uint32_t opinions,
                      double mean) {
    double sum = 0.0;
    for (std::size_t i = 0; i < distribution.size(); ++i) {
        if (distribution[i] == 0) continue;  // Keeps log2(0) out when all opinions sit at 1 and 5.
        const double share = static_cast<double>(distribution[i]) / opinions;
        const double point = lowest_point + static_cast<int>(i);
        sum += share * std::log2(1.0 - std::abs(point - mean) / scale_width);
    }
    return std::clamp(1.0 + sum, 0.0, 1.0);
}

Verdict decide(const TestStats& stats, const VerdictThresholds& thresholds) {
    if (stats.opinions == 0 || stats.opinions < thresholds.min_opinions) {
        return Verdict::insufficient;
    }
    const bool clear = *stats.consensus >= thresholds.min_consensus && !stats.polarised;
    if (clear && *stats.median >= thresholds.meets_median) return Verdict::meets;
    if (clear && *stats.median <= thresholds.fails_median) return Verdict::fails;
    return Verdict::contested;
}

}  // namespace

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
        case Verdict::meets:
            return "meets";
        case Verdict::fails:
            return "fails";
        case Verdict::contested:
            return "contested";
        case Verdict::insufficient:
            return "insufficient";
    }
    return "unknown";
}

TestStats compute_stats(const Histogram& histogram, const VerdictThresholds& thresholds) {
    TestStats stats;
    stats.voters = histogram.voters();
    stats.opinions = histogram.opinions();
    stats.cant_say = histogram.cant_say();
    for (std::size_t i = 0; i < stats.distribution.size(); ++i) {
        stats.distribution[i] = histogram.counts[i + 1];
    }

    const std::uint32_t n = stats.opinions;
    if (n == 0) {
        stats.verdict = decide(stats, thresholds);
        return stats;
    }
    const auto& dist = stats.distribution;

    double sum = 0.0;
    for (std::size_t i = 0; i < dist.size(); ++i) {
        sum += static_cast<double>(dist[i]) * (lowest_point + static_cast<int>(i));
    }
    const double mean = sum / n;
    stats.mean = mean;

    stats.median = median_of_range(dist, 0, n);
    if (n == 1) {
        stats.q1 = stats.q3 = stats.median;
    } else {
        // Tukey hinges: with odd n the median element sits between the halves and joins neither.
        const std::uint32_t half = n / 2;
        stats.q1 = median_of_range(dist, 0, half);
        stats.q3 = median_of_range(dist, n - half, half);
    }
    stats.iqr = *stats.q3 - *stats.q1;

    stats.consensus = tastle_wierman(dist, n, mean);

    stats.share_low = static_cast<double>(dist[0] + dist[1]) / n;
    stats.share_mid = static_cast<double>(dist[2]) / n;
    stats.share_high = static_cast<double>(dist[3] + dist[4]) / n;
    stats.agreement = std::max(stats.share_low, stats.share_high);
    stats.polarised = stats.share_low >= thresholds.polarised_share &&
                      stats.share_high >= thresholds.polarised_share;

    stats.verdict = decide(stats, thresholds);
    return stats;
}

std::optional<double> acceptability_score(const TestStats& stats) {
    if (!stats.mean) return std::nullopt;
    return 100.0 * (*stats.mean - lowest_point) / scale_width;
}

}  // namespace quorum
