#include "sessions/framework.hpp"

namespace quorum {

const FrameworkTest* Framework::find(std::string_view test_id) const {
    for (const auto& t : tests)
        if (t.id == test_id) return &t;
    return nullptr;
}

int Framework::index_of(std::string_view test_id) const {
    for (std::size_t i = 0; i < tests.size(); ++i)
        if (tests[i].id == test_id) return static_cast<int>(i);
    return -1;
}

Framework default_framework() {
    return Framework{
        "Data for public benefit",
        {
            {"purposeful",
             "Purposeful",
             "The purpose of the proposed use of data is clearly and transparently defined, so "
             "people can see what it is for and it cannot drift into other uses.",
             {"Is it clear what problem this use of data is meant to solve, and for whom?",
              "Could the people whose data it is understand the purpose if it were explained to "
              "them?",
              "Is the purpose written down and published, or only understood informally?",
              "Does the stated purpose protect against the data being used for something else "
              "later?"}},
            {"proportionate",
             "Proportionate",
             "The use of data is no bigger than the purpose needs: it minimises what is shared, "
             "sets clear limits, and weighs how sensitive the data is against how likely and how "
             "severe any harm would be.",
             {"Is identifiable data needed, or would anonymised or aggregated data do?",
              "Is only the minimum data shared, with the fewest organisations?",
              "Are there clear limits on what the data may and may not be used for?",
              "How sensitive is this data for the people it describes?",
              "How likely is harm, and how severe would it be if it happened?"}},
            {"responsible",
             "Responsible",
             "The likely benefit justifies the use of public resources, weighed against the risks "
             "and against whether the intended outcome will actually be delivered.",
             {"Is the likely public benefit worth the money, time and effort involved?",
              "Do the benefits outweigh the risks to the people whose data is used?",
              "Is there a realistic plan to act on what the data shows, so the outcome is "
              "delivered?",
              "Who is accountable if it goes wrong, and how would anyone find out?"}},
        }};
}

const std::array<std::string_view, 6>& scale_labels() {
    static constexpr std::array<std::string_view, 6> labels{
        "Can't say", "Clearly fails", "Mostly fails", "Unsure either way", "Mostly meets",
        "Clearly meets"};
    return labels;
}

}  // namespace quorum
