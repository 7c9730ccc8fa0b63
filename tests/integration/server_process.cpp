#include "server_process.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace quorum::testing {

std::string quorum_binary() {
    return QUORUM_BINARY;
}

TempDir::TempDir(const std::string& prefix)
    : path_((std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string()) {
    if (!::mkdtemp(path_.data())) throw std::runtime_error("mkdtemp failed");
}

TempDir::~TempDir() {
    std::error_code ignored;  // a destructor must not throw; a leftover directory is harmless
    std::filesystem::remove_all(path_, ignored);
}

ServerProcess::ServerProcess(const std::string& binary, const std::string& db,
                             const std::vector<std::string>& extra_args) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> args{binary, "serve", "--port", "0", "--db", db};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::dup2(out[1], STDOUT_FILENO);
        ::close(out[0]);
        ::close(out[1]);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        std::_Exit(127);
    }
    ::close(out[1]);
    // Read stdout until the "running at http://127.0.0.1:PORT" line arrives (at most 20 s).
    const std::string marker = "running at http://127.0.0.1:";
    char chunk[512];
    while (port_ == 0) {
        pollfd p{out[0], POLLIN, 0};
        if (::poll(&p, 1, 20000) <= 0) break;
        const auto n = ::read(out[0], chunk, sizeof chunk);
        if (n <= 0) break;
        banner_.append(chunk, static_cast<std::size_t>(n));
        if (auto at = banner_.find(marker); at != std::string::npos) {
            auto end = banner_.find_first_not_of("0123456789", at + marker.size());
            if (end != std::string::npos)
                port_ = static_cast<unsigned short>(
                    std::stoi(banner_.substr(at + marker.size(), end - at - marker.size())));
        }
    }
    // Keep draining stdout in the background would need a thread; the server prints little after
    // start-up, so the pipe buffer never fills. Leave the read end open so writes never fail.
    if (port_ == 0) {
        stop(SIGKILL);
        throw std::runtime_error("the server did not start; it printed: " + banner_);
    }
}

ServerProcess::~ServerProcess() {
    if (pid_ > 0) stop(SIGKILL);
}

int ServerProcess::stop(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace quorum::testing
