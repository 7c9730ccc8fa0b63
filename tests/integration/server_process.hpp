#pragma once
// Runs the real `quorum serve` as a child process on a free loopback port.
#include <sys/types.h>
#include <string>
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
/// A fresh directory under the system's temporary directory, removed with all it holds when this
/// goes out of scope, so test runs leave nothing behind.
class TempDir {
  public:
    explicit TempDir(const std::string& prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

}  // namespace quorum::testing
