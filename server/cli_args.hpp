#pragma once
// A small command-line option parser: "--name value" and "--flag", with clear errors. Kept apart
// from the commands so every command parses the same way.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace quorum {

/// A bad command line. The message is shown to the operator, and the process exits with 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class CliArgs {
public:
    /// `with_value` and `flags` list the accepted option names (without "--").
    CliArgs(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
            const std::vector<std::string>& flags);

    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::string text(const std::string& name, const std::string& fallback) const;
    std::string required(const std::string& name) const;
    /// An integer option within [min, max].
    long long number(const std::string& name, long long fallback, long long min, long long max) const;
    bool help() const { return help_; }

private:
    std::map<std::string, std::string> values_;
    bool help_ = false;
};

}  // namespace quorum
