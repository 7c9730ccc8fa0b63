#include "server/demo_install.hpp"

#include <algorithm>
#include <filesystem>

#include "sessions/store/sqlite_store.hpp"

namespace quorum {

InstalledDemo install_demo(const std::string& db_path, const DemoOptions& options) {
    if (auto parent = std::filesystem::path(db_path).parent_path(); !parent.empty())
        std::filesystem::create_directories(parent);
    auto demo = build_demo(options);
    SqliteStore store(db_path);
    const auto codes = store.session_codes();
    const bool present = std::find(codes.begin(), codes.end(), demo.code) != codes.end();
    if (!present) {
        std::vector<StoredEvent> events;
        events.reserve(demo.log.size());
        for (auto& e : demo.log) events.push_back({demo.code, std::move(e)});
        store.append(events);
    }
    return {demo.code, demo.facilitator_token, !present};
}

}  // namespace quorum
