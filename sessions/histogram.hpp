#pragma once
// Distribution of answers on the 5-point scale plus "can't say": the only input the consensus maths
// needs, so tallies can be kept incrementally and statistics derived in O(1).
#include <array>
#include <cstdint>

namespace quorum {

/// Index 0 counts "can't say"; indexes 1..5 count the scale points.
struct Histogram {
    std::array<std::uint32_t, 6> counts{};

    std::uint32_t cant_say() const { return counts[0]; }
    std::uint32_t opinions() const {
        return counts[1] + counts[2] + counts[3] + counts[4] + counts[5];
    }
    std::uint32_t voters() const { return opinions() + counts[0]; }

    void add(int value) { ++counts.at(static_cast<std::size_t>(value)); }
    void remove(int value) { --counts.at(static_cast<std::size_t>(value)); }
    Histogram& operator+=(const Histogram& other) {
        for (std::size_t i = 0; i < counts.size(); ++i) counts[i] += other.counts[i];
        return *this;
    }
    bool operator==(const Histogram&) const = default;
};

}  // namespace quorum
