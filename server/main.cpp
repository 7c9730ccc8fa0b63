// quorum: entry point. Only dispatches to the subcommands.
#include <iostream>
#include <string>
#include <vector>

#include "server/cli_args.hpp"
#include "server/commands.hpp"

namespace {

constexpr const char* usage = R"(Quorum runs live workshops that judge proposed uses of data against the
Purposeful, Proportionate and Responsible tests.

Usage: quorum COMMAND [OPTIONS]

Commands:
  serve    run the workshop server (HTTP and WebSocket on one port)
  demo     create a demonstration workshop in a database
  check    check a database and every session in it
  export   export a session's findings, report, votes, comments or transcript
  report   combine several sessions into one findings report

Run "quorum COMMAND --help" for a command's options.
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage;
        return args.empty() ? 2 : 0;
    }
    const auto command = args[0];
    args.erase(args.begin());
    try {
        if (command == "serve") return quorum::run_serve(args);
        if (command == "demo") return quorum::run_demo(args);
        if (command == "check") return quorum::run_check(args);
        if (command == "export") return quorum::run_export(args);
        if (command == "report") return quorum::run_report(args);
        std::cerr << "quorum: unknown command \"" << command << "\"\n\n" << usage;
        return 2;
    } catch (const quorum::UsageError& e) {
        std::cerr << "quorum " << command << ": " << e.what() << "\n"
                  << "Run \"quorum " << command << " --help\" for the options.\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "quorum " << command << ": " << e.what() << "\n";
        return 1;
    }
}
