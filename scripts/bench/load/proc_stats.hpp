#pragma once
// What the kernel says about a process: resident memory and CPU time, from /proc.
#include <sys/types.h>
#include <string>
#include <vector>

namespace quorum::load {

struct ThreadCpu {
    std::string name;
    double seconds = 0;  // user + system
};

struct ProcSample {
    bool valid = false;
    double rss_kib = 0;   // VmRSS
    double user_s = 0;    // utime, all threads
    double system_s = 0;  // stime, all threads
    std::vector<ThreadCpu> threads;
};

/// A sample of process `pid` (valid is false if it cannot be read).
ProcSample sample_process(pid_t pid);
/// This process's own user and system CPU seconds (getrusage).
std::pair<double, double> own_cpu_seconds();
/// The 1-minute load average.
double load_average();

}  // namespace quorum::load
