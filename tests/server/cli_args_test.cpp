#include "server/cli_args.hpp"

#include <catch2/catch.hpp>

using namespace quorum;

TEST_CASE("options with values, flags and --name=value") {
    CliArgs args({"--port", "9000", "--demo", "--db=/tmp/x.db", "--port", "9001"}, {"port", "db"},
                 {"demo"});
    CHECK(args.number("port", 8080, 0, 65535) == 9001);  // the last one wins
    CHECK(args.text("db", "") == "/tmp/x.db");
    CHECK(args.has("demo"));
    CHECK_FALSE(args.help());
    CHECK(args.text("host", "127.0.0.1") == "127.0.0.1");
    CHECK(CliArgs({"--help"}, {}, {}).help());
}

TEST_CASE("bad command lines are refused with a clear reason") {
    CHECK_THROWS_WITH(CliArgs({"--bogus"}, {"port"}, {}), "unknown option --bogus");
    CHECK_THROWS_WITH(CliArgs({"--port"}, {"port"}, {}), "--port needs a value");
    CHECK_THROWS_WITH(CliArgs({"serve"}, {"port"}, {}), "unexpected argument \"serve\"");
    CHECK_THROWS_WITH(CliArgs({"--demo=yes"}, {}, {"demo"}), "--demo takes no value");
    CliArgs args({"--port", "80x"}, {"port", "db"}, {});
    CHECK_THROWS_WITH(args.number("port", 1, 0, 65535), Catch::Contains("whole number"));
    CliArgs big({"--port", "70000"}, {"port"}, {});
    CHECK_THROWS_WITH(big.number("port", 1, 0, 65535), Catch::Contains("between 0 and 65535"));
    CHECK_THROWS_WITH(CliArgs({}, {"db"}, {}).required("db"), "--db is required");
}
