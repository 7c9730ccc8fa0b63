#include "load/proc_stats.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace quorum::load {

namespace {

/// utime and stime (fields 14 and 15) and the command name of a /proc/.../stat file.
bool read_stat(const std::string& path, std::string& name, double& user, double& system) {
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line)) return false;
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) return false;
    name = line.substr(open + 1, close - open - 1);
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    // After the name: state is field 3; utime and stime are fields 14 and 15.
    for (int i = 3; i < 14; ++i) rest >> field;
    double ut = 0, st = 0;
    rest >> ut >> st;
    const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
    user = ut / hz;
    system = st / hz;
    return true;
}

}  // namespace

ProcSample sample_process(pid_t pid) {
    ProcSample s;
    if (pid <= 0) return s;
    const auto base = "/proc/" + std::to_string(pid);
    std::string name;
    if (!read_stat(base + "/stat", name, s.user_s, s.system_s)) return s;
    std::ifstream status(base + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) s.rss_kib = std::stod(line.substr(6));
    if (DIR* dir = opendir((base + "/task").c_str())) {
        while (auto* entry = readdir(dir)) {
            if (entry->d_name[0] == '.') continue;
            ThreadCpu t;
            double u = 0, sy = 0;
            const std::string tid = entry->d_name;
            if (read_stat(base + "/task/" + tid + "/stat", t.name, u, sy)) {
                t.seconds = u + sy;
                t.name.append("/").append(tid);
                // The main thread (tid = pid) is the server's I/O thread in Quorum's case.
                if (tid == std::to_string(pid)) t.name.append(" (main)");
                s.threads.push_back(t);
            }
        }
        closedir(dir);
    }
    s.valid = true;
    return s;
}

std::pair<double, double> own_cpu_seconds() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; };
    return {secs(r.ru_utime), secs(r.ru_stime)};
}

double load_average() {
    double avg[3] = {0, 0, 0};
    if (getloadavg(avg, 3) < 1) return -1;
    return avg[0];
}

}  // namespace quorum::load
