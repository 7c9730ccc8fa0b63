#pragma once
// Diverging stacked bars as inline SVG: "fails" (1-2) to the left of the centre, "unsure" (3)
// straddling it, "meets" (4-5) to the right, so the balance of a room reads at a glance and a
// divided room shows as two long arms rather than a short bar.
#include <string>

#include "sessions/consensus.hpp"

namespace quorum::exports {

struct ChartStyle {
    double width = 720;
    double bar_height = 26;
    bool labels = true;  // percentages in the bar, side totals above and an axis below
};

/// One chart. `css_class` and the data attributes mark it for styling and for tests; `label`
/// names it for screen readers (the counts are appended).
std::string diverging_bar_svg(const TestStats& stats, const ChartStyle& style,
                              const std::string& css_class, const std::string& label,
                              const std::string& data_attributes = {});

/// The colour of each point of the scale (index 0 is point 1), shared with the legend.
const char* point_colour(int point);

}  // namespace quorum::exports
