#pragma once
// Runs the real `quorum serve` as a child process on a free loopback port.
#include <string>
#include <sys/types.h>
#include <vector>

namespace quorum::testing {

class ServerProcess {
public:
    /// Starts `quorum serve --port 0 --db DB` plus extra arguments, and waits until it listens.
    ServerProcess(const std::string& binary, const std::string& db,
                  const std::vector<std::string>& extra_args = {});
    /// Kills the server if it is still running.
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    unsigned short port() const { return port_; }
    /// Everything the server printed on stdout before it started listening.
    const std::string& banner() const { return banner_; }
    /// Sends a signal and waits for the process to exit; returns its exit status (or 128+signal).
    int stop(int signal);

private:
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    std::string banner_;
};

/// The path of the quorum binary under test (QUORUM_BINARY, set by CMake).
std::string quorum_binary();
/// A fresh empty directory under the system temp directory.
std::string make_temp_dir(const std::string& prefix);

}  // namespace quorum::testing
