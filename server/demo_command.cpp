// quorum demo: writes the demonstration workshop into a database.
#include <filesystem>
#include <iostream>

#include "server/cli_args.hpp"
#include "server/commands.hpp"
#include "server/demo_install.hpp"

namespace quorum {

namespace {
constexpr const char* demo_help = R"(Usage: quorum demo --db FILE [--participants N] [--seed S]

Creates a realistic demonstration workshop in the database: three proposed uses of data, six
areas, and N simulated participants who vote and comment (two rounds on the first scenario, one on
the second, and the third left open for voting). The same seed always gives the same workshop, so
running it twice changes nothing. Prints the session's join code and facilitator link.

Options:
  --db FILE            SQLite database to write (created if missing)
  --participants N     simulated participants, 1 to 5000 (default 24)
  --seed S             random seed (default 1)
  --help               show this help
)";
}  // namespace

int run_demo(const std::vector<std::string>& argv) {
    CliArgs args(argv, {"db", "participants", "seed"}, {});
    if (args.help()) {
        std::cout << demo_help;
        return 0;
    }
    const auto db = args.required("db");
    DemoOptions options;
    options.participants = static_cast<std::uint32_t>(args.number("participants", 24, 1, 5000));
    options.seed = static_cast<std::uint64_t>(args.number("seed", 1, 0, 1LL << 62));
    const auto installed = install_demo(db, options);
    std::cout << (installed.created ? "Created" : "Already present:") << " demo session "
              << installed.code << "\n"
              << "  Join code:        " << installed.code << "\n"
              << "  Facilitator path: /facilitate/" << installed.code << "#"
              << installed.facilitator_token << "\n";
    return 0;
}

}  // namespace quorum
