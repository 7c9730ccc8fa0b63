#include "sessions/session_config.hpp"

#include <set>

#include "sessions/limits.hpp"
#include "sessions/text.hpp"

namespace quorum {
namespace {

RuleError invalid(std::string message) { return {ErrorCode::invalid_config, std::move(message)}; }

std::optional<RuleError> check_text(const std::string& text, std::string_view what,
                                    std::size_t max, bool required) {
    if (required && is_blank(text)) return invalid(std::string(what) + " is required");
    if (text.size() > max)
        return invalid(std::string(what) + " is longer than " + std::to_string(max) +
                       " characters");
    if (!is_valid_utf8(text)) return invalid(std::string(what) + " is not valid UTF-8");
    return std::nullopt;
}

std::optional<RuleError> check_framework(const Framework& framework) {
    if (framework.tests.empty()) return invalid("the framework needs at least one test");
    if (framework.tests.size() > limits::tests)
        return invalid("a framework may have at most " + std::to_string(limits::tests) + " tests");
    std::set<std::string> ids;
    for (const auto& test : framework.tests) {
        if (auto e = check_text(test.id, "a test id", limits::short_text, true)) return e;
        if (!is_slug(test.id))
            return invalid("test id \"" + test.id +
                           "\" may only use lower-case letters, digits, '-' and '_'");
        if (!ids.insert(test.id).second) return invalid("test id \"" + test.id + "\" is repeated");
        if (auto e = check_text(test.name, "a test name", limits::short_text, true)) return e;
        if (auto e = check_text(test.description, "a test description", limits::scenario_text,
                                false))
            return e;
        if (test.questions.size() > limits::questions_per_test)
            return invalid("test \"" + test.name + "\" has more than " +
                           std::to_string(limits::questions_per_test) + " guiding questions");
        for (const auto& q : test.questions)
            if (auto e = check_text(q, "a guiding question", limits::scenario_text, true)) return e;
    }
    return std::nullopt;
}

std::optional<RuleError> check_settings(const SessionSettings& s) {
    const auto& v = s.verdict;
    const auto on_scale = [](double x) { return x >= 1.0 && x <= 5.0; };
    if (!on_scale(v.meets_median) || !on_scale(v.fails_median) || v.fails_median >= v.meets_median)
        return invalid("the verdict medians must lie on the 1 to 5 scale, fails below meets");
    if (!(v.min_consensus >= 0.0 && v.min_consensus <= 1.0))
        return invalid("the minimum consensus must be between 0 and 1");
    if (!(v.polarised_share > 0.0 && v.polarised_share <= 0.5))
        return invalid("the polarisation share must be above 0 and at most 0.5");
    if (v.min_opinions < 1 || v.min_opinions > 10000)
        return invalid("the minimum number of opinions must be between 1 and 10000");
    if (s.min_group_size < 1 || s.min_group_size > 1000)
        return invalid("the smallest group shown must be between 1 and 1000 opinions");
    return std::nullopt;
}

}  // namespace

std::optional<RuleError> check_scenario(const Scenario& s) {
    if (auto e = check_text(s.id, "a scenario id", limits::short_text, true)) return e;
    if (auto e = check_text(s.title, "a scenario title", limits::short_text, true)) return e;
    if (auto e = check_text(s.description, "a scenario description", limits::scenario_text, true))
        return e;
    for (const auto* detail : {&s.data_involved, &s.sharing, &s.purpose, &s.theme})
        if (auto e = check_text(*detail, "a scenario detail", limits::scenario_text, false))
            return e;
    return std::nullopt;
}

std::optional<RuleError> normalise_config(SessionConfig& config) {
    if (auto e = check_text(config.title, "the session title", limits::title, true)) return e;
    if (config.areas.empty()) return invalid("the session needs at least one area");
    if (config.areas.size() > limits::areas)
        return invalid("a session may have at most " + std::to_string(limits::areas) + " areas");
    std::set<std::string> areas;
    for (const auto& area : config.areas) {
        if (auto e = check_text(area, "an area name", limits::short_text, true)) return e;
        if (!areas.insert(area).second) return invalid("area \"" + area + "\" is repeated");
    }
    if (auto e = check_settings(config.settings)) return e;
    if (config.framework.tests.empty()) config.framework = default_framework();
    if (auto e = check_framework(config.framework)) return e;
    if (config.scenarios.size() > limits::scenarios)
        return invalid("a session may have at most " + std::to_string(limits::scenarios) +
                       " scenarios");
    std::set<std::string> ids;
    for (const auto& s : config.scenarios)
        if (!s.id.empty()) ids.insert(s.id);
    int next = 1;
    for (auto& s : config.scenarios) {
        if (s.id.empty()) {
            while (ids.count("s" + std::to_string(next))) ++next;
            s.id = "s" + std::to_string(next);
            ids.insert(s.id);
        }
    }
    std::set<std::string> seen;
    for (const auto& s : config.scenarios) {
        if (auto e = check_scenario(s)) return e;
        if (!seen.insert(s.id).second) return invalid("scenario id \"" + s.id + "\" is repeated");
    }
    return std::nullopt;
}

}  // namespace quorum
