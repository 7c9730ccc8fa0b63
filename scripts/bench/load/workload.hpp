#pragma once
// One benchmark run against one server: a session is created over HTTP, a facilitator client
// watches it, N participants join and vote, and everything the issue asks to be measured is
// collected into a Result. Every client lives on one io_context thread.
#include <sys/types.h>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace quorum::load {

enum class Mode { closed, open, spike, soak };

struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    Mode mode = Mode::closed;
    std::string label;     // what the report calls the server ("quorum-full", "peer-naive", …)
    pid_t server_pid = 0;  // for RSS and CPU from /proc; 0: not measured

    int participants = 1000;
    int areas = 6;
    int scenarios = 2;            // closed loop: the votes are spread over this many scenarios
    int votes = 60;               // closed loop: per participant, over all scenarios
    double rate = 5000;           // open loop: votes per second (Poisson)
    double duration_s = 10;       // open loop: how long to send; closed loop: a cap on sending
    int spike_votes = 3;          // spike: votes per participant
    double spike_window_s = 2;    // spike: every vote is scheduled within this after opening
    double soak_s = 10;           // soak: how long N participants stay idle
    double comment_share = 0.05;  // closed loop and spike: this share of participants comment
    int connect_concurrency = 200;
    double drain_timeout_s = 15;  // after sending, how long to wait for outstanding acks
    std::uint64_t seed = 1;

    bool verify = false;    // close voting and compare the final tally with every ack
    std::string verify_db;  // and check every acknowledged vote in this SQLite file
};

/// Runs the workload; the result is the JSON the report is built from. Throws on a setup failure
/// (the server cannot be reached, the session cannot be created, joins time out).
nlohmann::json run_workload(const Options& options);

}  // namespace quorum::load
