#include "sessions/exports/chart_svg.hpp"

#include <algorithm>
#include <array>

#include "sessions/exports/escape.hpp"
#include "sessions/exports/report_text.hpp"
#include "sessions/framework.hpp"

namespace quorum::exports {
namespace {

// A red-blue diverging palette that stays distinct for the common forms of colour blindness and
// in greyscale print; the neutral point is a plain grey.
constexpr std::array<const char*, 5> colours{"#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac"};
constexpr std::array<const char*, 5> text_colours{"#ffffff", "#1b1b1b", "#1b1b1b", "#1b1b1b",
                                                  "#ffffff"};

std::string px(double v) {
    return number(v, 1);
}

std::string accessible_summary(const TestStats& s, const std::string& label) {
    std::string out = label + ": ";
    const auto& names = scale_labels();
    if (s.opinions == 0) return out + "no opinions yet";
    for (int point = 1; point <= 5; ++point) {
        const auto n = s.distribution[static_cast<std::size_t>(point - 1)];
        out += std::to_string(n) + " " + std::string(names[static_cast<std::size_t>(point)]) +
               " (" + percent(static_cast<double>(n) / s.opinions) + ")" + (point < 5 ? ", " : "");
    }
    if (s.cant_say > 0) out += "; " + std::to_string(s.cant_say) + " can't say";
    return out;
}

}  // namespace

const char* point_colour(int point) {
    return colours.at(static_cast<std::size_t>(point - 1));
}

std::string diverging_bar_svg(const TestStats& s, const ChartStyle& style,
                              const std::string& css_class, const std::string& label,
                              const std::string& data_attributes) {
    const double w = style.width;
    const double top = style.labels ? 18 : 1;
    const double h = top + style.bar_height + (style.labels ? 20 : 1);
    const double centre = w / 2;
    const double half = w / 2 - 2;  // 100% of opinions on one side reaches the edge
    const auto summary = accessible_summary(s, label);

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"" + css_class + "\"" +
                      data_attributes + " viewBox=\"0 0 " + px(w) + " " + px(h) + "\" width=\"" +
                      px(w) + "\" height=\"" + px(h) + "\" role=\"img\" aria-label=\"" +
                      html_escape(summary) + "\"><title>" + html_escape(summary) + "</title>";
    svg += "<rect x=\"0\" y=\"" + px(top) + "\" width=\"" + px(w) + "\" height=\"" +
           px(style.bar_height) + "\" fill=\"#f2f4f7\"/>";
    if (s.opinions == 0) {
        if (style.labels)
            svg += "<text x=\"" + px(centre) + "\" y=\"" + px(top + style.bar_height / 2 + 4) +
                   "\" text-anchor=\"middle\" font-size=\"12\" fill=\"#475467\">No opinions "
                   "yet</text>";
        return svg + "</svg>";
    }

    std::array<double, 5> share{};
    for (std::size_t i = 0; i < 5; ++i)
        share[i] = static_cast<double>(s.distribution[i]) / static_cast<double>(s.opinions);
    // Each segment's left edge: 2 then 1 grow leftwards from the neutral band, 4 then 5 rightwards.
    std::array<double, 5> x{}, width{};
    for (std::size_t i = 0; i < 5; ++i) width[i] = share[i] * half;
    x[2] = centre - width[2] / 2;
    x[1] = x[2] - width[1];
    x[0] = x[1] - width[0];
    x[3] = x[2] + width[2];
    x[4] = x[3] + width[3];
    const double y = top;
    for (std::size_t i = 0; i < 5; ++i) {
        if (width[i] <= 0) continue;
        svg += "<rect x=\"" + px(x[i]) + "\" y=\"" + px(y) + "\" width=\"" + px(width[i]) +
               "\" height=\"" + px(style.bar_height) + "\" fill=\"" + colours[i] + "\"/>";
        if (style.labels && width[i] >= 30)
            svg += "<text x=\"" + px(x[i] + width[i] / 2) + "\" y=\"" +
                   px(y + style.bar_height / 2 + 4) +
                   "\" text-anchor=\"middle\" font-size=\"11\" fill=\"" + text_colours[i] + "\">" +
                   percent(share[i]) + "</text>";
    }
    svg += "<line x1=\"" + px(centre) + "\" x2=\"" + px(centre) + "\" y1=\"" + px(y - 3) +
           "\" y2=\"" + px(y + style.bar_height + 3) + "\" stroke=\"#1b1b1b\" stroke-width=\"1\"/>";
    if (style.labels) {
        const double base = y - 5;
        // Side totals sit either side of the neutral band, never closer than 6 to the centre.
        svg += "<text x=\"" + px(std::min(x[2] - 3, centre - 6)) + "\" y=\"" + px(base) +
               "\" text-anchor=\"end\" font-size=\"11\" fill=\"#7a1020\">" + percent(s.share_low) +
               " fails</text>";
        svg += "<text x=\"" + px(std::max(x[3] + 3, centre + 6)) + "\" y=\"" + px(base) +
               "\" text-anchor=\"start\" font-size=\"11\" fill=\"#123f73\">" +
               percent(s.share_high) + " meets</text>";
        const double axis = y + style.bar_height + 14;
        svg += "<text x=\"2\" y=\"" + px(axis) +
               "\" font-size=\"10\" fill=\"#475467\">&#8592; clearly fails</text>";
        svg += "<text x=\"" + px(centre) + "\" y=\"" + px(axis) +
               "\" text-anchor=\"middle\" font-size=\"10\" fill=\"#475467\">unsure</text>";
        svg +=
            "<text x=\"" + px(w - 2) + "\" y=\"" + px(axis) +
            "\" text-anchor=\"end\" font-size=\"10\" fill=\"#475467\">clearly meets &#8594;</text>";
    }
    return svg + "</svg>";
}

}  // namespace quorum::exports
