#pragma once
// Puts the demo workshop into a database unless it is already there.
#include <string>

#include "sessions/demo.hpp"

namespace quorum {

struct InstalledDemo {
    std::string code;
    std::string facilitator_token;
    bool created = false;  // false: the same demo was already in the database
};

InstalledDemo install_demo(const std::string& db_path, const DemoOptions& options);

}  // namespace quorum
