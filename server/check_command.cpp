// quorum check: verifies a database file and every session's event log.
#include <filesystem>
#include <iostream>

#include "server/cli_args.hpp"
#include "server/commands.hpp"
#include "sessions/session.hpp"
#include "sessions/store/sqlite_store.hpp"

namespace quorum {

namespace {
constexpr const char* check_help = R"(Usage: quorum check --db FILE

Checks a Quorum database: SQLite's integrity check, then rebuilds every session from its event
log. Prints one line per session. Exits 0 when everything is sound, 1 otherwise.

Options:
  --db FILE   the database to check
  --help      show this help
)";
}  // namespace

int run_check(const std::vector<std::string>& argv) {
    CliArgs args(argv, {"db"}, {});
    if (args.help()) {
        std::cout << check_help;
        return 0;
    }
    const auto db = args.required("db");
    if (!std::filesystem::exists(db)) throw UsageError("there is no database at " + db);
    SqliteStore store(db);
    bool sound = true;
    const auto integrity = store.integrity_check();
    std::cout << "integrity_check: " << integrity << "\n";
    if (integrity != "ok") sound = false;
    std::cout << "schema version: " << store.schema_version() << "\n";
    for (const auto& code : store.session_codes()) {
        try {
            const auto log = store.load(code);
            const auto session = Session::replay(log);
            std::cout << code << "  ok  " << log.size() << " events, "
                      << session.participants().size() << " participants, phase "
                      << to_string(session.phase()) << "\n";
        } catch (const std::exception& e) {
            sound = false;
            std::cout << code << "  BROKEN  " << e.what() << "\n";
        }
    }
    std::cout << (sound ? "ok\n" : "problems found\n");
    return sound ? 0 : 1;
}

}  // namespace quorum
