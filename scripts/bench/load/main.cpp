// quorum-load: the load generator of scripts/bench. Speaks Quorum's WebSocket protocol to one
// server (Quorum or a peer), prints a summary and writes the measurements as JSON.
#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "load/workload.hpp"

namespace {

using quorum::load::Mode;
using quorum::load::Options;

constexpr const char* help = R"(Usage: quorum-load --port P --mode MODE [OPTIONS]

Drives one server with N participants and a facilitator over the real protocol, and reports
votes/s (acknowledged), vote→ack and vote→visible-at-facilitator latency, frames and bytes per
vote, server RSS and CPU (from /proc, with --server-pid) and the driver's own CPU.

Modes:
  closed   each participant sends its next vote when the last one is acknowledged (throughput)
  open     votes at --rate per second on a Poisson clock; latency from the scheduled time
  spike    every participant casts --spike-votes votes within --spike-window s of voting opening
  soak     N participants connect and stay idle for --soak s (memory); then an update check

Options:
  --host H               server address (default 127.0.0.1)
  --port P               server port (required)
  --label NAME           the name used in the report (default: the mode)
  --server-pid PID       the server's process, for RSS and CPU
  --participants N       (default 1000)
  --areas N              (default 6)
  --scenarios N          closed loop: the votes are spread over N scenarios (default 2)
  --votes N              closed loop: votes per participant (default 60)
  --rate R               open loop: votes per second (default 5000)
  --duration S           open loop: seconds of sending; closed loop: cap on sending (default 10)
  --spike-votes N        (default 3)
  --spike-window S       (default 2)
  --soak S               (default 10)
  --comment-share F      closed loop and spike: share of participants who comment (default 0.05)
  --connect-concurrency N  joins in flight at once (default 200)
  --drain-timeout S      wait for outstanding acks after sending (default 15)
  --seed N               (default 1)
  --verify               at the end, check every acknowledged vote against the final tally
  --verify-db FILE       and against the server's SQLite database
  --json FILE            write the result here (default: only printed)
)";

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "quorum-load: " << why << "\n(see quorum-load --help)\n";
    std::exit(2);
}

void raise_fd_limit() {
    rlimit r{};
    if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        setrlimit(RLIMIT_NOFILE, &r);
    }
}

double fmt(const nlohmann::json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : -1;
}

void print_summary(const nlohmann::json& r) {
    std::cout << "== " << r.value("label", "") << " / " << r.value("mode", "") << " ==\n";
    if (r.contains("join"))
        std::cout << "joined " << r["join"]["participants"] << " in " << r["join"]["seconds"]
                  << " s; server RSS per connection "
                  << r.value("server_rss_kib_per_connection", -1.0) << " KiB\n";
    if (r.contains("soak")) {
        std::cout << "soak: " << r["soak"].dump() << "\n";
        return;
    }
    const auto& v = r["votes"];
    std::cout << "votes acked " << v["acked"] << " of " << v["sent"] << " (errors " << v["errors"]
              << ", unanswered " << v["unanswered"] << ") in " << r["window_s"]
              << " s = " << r["votes_per_s"] << " votes/s\n";
    const auto& a = r["vote_to_ack_ms"];
    const auto& f = r["vote_to_visible_at_facilitator_ms"];
    std::cout << "vote→ack ms p50 " << fmt(a, "p50") << " p99 " << fmt(a, "p99") << " p99.9 "
              << fmt(a, "p999") << "; vote→facilitator p99 " << fmt(f, "p99") << " ms\n";
    std::cout << "per vote: " << r["per_vote"].dump() << "\n";
    if (r.contains("server"))
        std::cout << "server CPU " << r["server"]["cpu_s"]
                  << " s = " << r["server"]["cpu_ms_per_1000_votes"] << " ms per 1000 votes; RSS "
                  << r["server"]["rss_kib_end"] << " KiB\n";
    std::cout << "driver CPU " << r["driver"]["cpu_s"] << " s (" << r["driver"]["cpu_utilisation"]
              << " of a core"
              << (r["driver"]["client_limited"].get<bool>() ? ": CLIENT-LIMITED" : "") << ")\n";
    if (r.contains("verify")) std::cout << "verify: " << r["verify"].dump() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    Options o;
    std::string json_path;
    std::map<std::string, std::string> values;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--help" || a == "-h") {
            std::cout << help;
            return 0;
        }
        if (a == "--verify") {
            o.verify = true;
            continue;
        }
        if (a.rfind("--", 0) != 0 || i + 1 >= args.size()) usage("unexpected argument " + a);
        values[a.substr(2)] = args[++i];
    }
    try {
        auto number = [&](const char* key, double fallback, double min, double max) {
            auto it = values.find(key);
            if (it == values.end()) return fallback;
            std::size_t used = 0;
            double v = std::stod(it->second, &used);
            if (used != it->second.size() || v < min || v > max)
                usage(std::string("--") + key + " must be a number from " + std::to_string(min) +
                      " to " + std::to_string(max));
            values.erase(it);
            return v;
        };
        auto text = [&](const char* key, std::string fallback) {
            auto it = values.find(key);
            if (it == values.end()) return fallback;
            auto v = it->second;
            values.erase(it);
            return v;
        };
        o.host = text("host", o.host);
        o.port = static_cast<unsigned short>(number("port", 0, 1, 65535));
        if (o.port == 0) usage("--port is required");
        const auto mode = text("mode", "closed");
        const std::map<std::string, Mode> modes{{"closed", Mode::closed},
                                                {"open", Mode::open},
                                                {"spike", Mode::spike},
                                                {"soak", Mode::soak}};
        if (!modes.count(mode)) usage("--mode must be closed, open, spike or soak");
        o.mode = modes.at(mode);
        o.label = text("label", mode);
        o.server_pid = static_cast<pid_t>(number("server-pid", 0, 0, 1 << 30));
        o.participants = static_cast<int>(number("participants", o.participants, 1, 50000));
        o.areas = static_cast<int>(number("areas", o.areas, 1, 50));
        o.scenarios = static_cast<int>(number("scenarios", o.scenarios, 1, 50));
        o.votes = static_cast<int>(number("votes", o.votes, 1, 100000));
        o.rate = number("rate", o.rate, 1, 1e6);
        o.duration_s = number("duration", o.duration_s, 0.1, 3600);
        o.spike_votes = static_cast<int>(number("spike-votes", o.spike_votes, 1, 1000));
        o.spike_window_s = number("spike-window", o.spike_window_s, 0.001, 600);
        o.soak_s = number("soak", o.soak_s, 0, 3600);
        o.comment_share = number("comment-share", o.comment_share, 0, 1);
        o.connect_concurrency =
            static_cast<int>(number("connect-concurrency", o.connect_concurrency, 1, 10000));
        o.drain_timeout_s = number("drain-timeout", o.drain_timeout_s, 0.1, 600);
        o.seed = static_cast<std::uint64_t>(number("seed", 1, 0, 1e15));
        o.verify_db = text("verify-db", "");
        if (!o.verify_db.empty()) o.verify = true;
        json_path = text("json", "");
        if (!values.empty()) usage("unknown option --" + values.begin()->first);
    } catch (const std::invalid_argument&) {
        usage("a numeric option is not a number");
    }
    raise_fd_limit();
    nlohmann::json result;
    int status = 0;
    try {
        result = quorum::load::run_workload(o);
        if (result.contains("verify") && !result["verify"].value("ok", false)) status = 1;
    } catch (const std::exception& e) {
        std::cerr << "quorum-load: " << e.what() << "\n";
        result = {{"label", o.label}, {"error", e.what()}};
        status = 1;
    }
    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << result.dump(2) << "\n";
    }
    if (!result.contains("error")) print_summary(result);
    return status;
}
