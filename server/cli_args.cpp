#include "server/cli_args.hpp"

#include <algorithm>

namespace quorum {

CliArgs::CliArgs(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
                 const std::vector<std::string>& flags) {
    auto known = [](const std::vector<std::string>& list, const std::string& name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        if (arg == "--help" || arg == "-h") {
            help_ = true;
            continue;
        }
        if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument \"" + arg + "\"");
        auto name = arg.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (known(flags, name)) {
            if (inline_value) throw UsageError("--" + name + " takes no value");
            values_[name] = "true";
        } else if (known(with_value, name)) {
            if (inline_value) {
                values_[name] = *inline_value;
            } else {
                if (i + 1 >= args.size()) throw UsageError("--" + name + " needs a value");
                values_[name] = args[++i];
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::string CliArgs::text(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::string CliArgs::required(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end() || it->second.empty()) throw UsageError("--" + name + " is required");
    return it->second;
}

long long CliArgs::number(const std::string& name, long long fallback, long long min,
                          long long max) const {
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(it->second, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != it->second.size() || it->second.empty())
        throw UsageError("--" + name + " must be a whole number, not \"" + it->second + "\"");
    if (value < min || value > max)
        throw UsageError("--" + name + " must be between " + std::to_string(min) + " and " +
                         std::to_string(max));
    return value;
}

}  // namespace quorum
