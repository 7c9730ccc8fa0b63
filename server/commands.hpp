#pragma once
// The quorum command's subcommands. Each returns the process exit code and throws UsageError for
// a bad command line.
#include <string>
#include <vector>

namespace quorum {

int run_serve(const std::vector<std::string>& args);
int run_demo(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
int run_export(const std::vector<std::string>& args);
int run_report(const std::vector<std::string>& args);

}  // namespace quorum
