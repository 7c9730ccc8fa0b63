#pragma once
// The tests a proposed use of data is judged against, and the scale participants answer on.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace quorum {

/// One test of the framework, e.g. "Proportionate".
struct FrameworkTest {
    std::string id;  // short stable slug, e.g. "proportionate"
    std::string name;
    std::string description;
    std::vector<std::string> questions;  // guiding questions shown to participants

    bool operator==(const FrameworkTest&) const = default;
};

struct Framework {
    std::string name;
    std::vector<FrameworkTest> tests;

    const FrameworkTest* find(std::string_view test_id) const;
    /// Position of a test in the framework, or -1.
    int index_of(std::string_view test_id) const;
    bool operator==(const Framework&) const = default;
};

/// Purposeful, Proportionate, Responsible: the three tests from the "Data for Public Benefit"
/// workshops, with guiding questions.
Framework default_framework();

/// Labels of the five scale points (index 1..5) and of "can't say" (index 0).
const std::array<std::string_view, 6>& scale_labels();

}  // namespace quorum
