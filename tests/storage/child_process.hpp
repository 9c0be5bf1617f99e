#pragma once
/// Runs a program as a child process with its stdout on a pipe, for tests that kill it.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace mfd::storage::test {

/// One child process; kills (SIGKILL) and reaps it on destruction if still running. Not
/// thread-safe.
class ChildProcess {
public:
    /// Starts `program` with `args` (argv[1..]); throws std::runtime_error when it cannot.
    ChildProcess(const std::string& program, const std::vector<std::string>& args);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The next line the child printed (without '\n'); std::nullopt at end of output.
    [[nodiscard]] std::optional<std::string> read_line();

    /// Sends SIGKILL and reaps the child; returns its wait status.
    int kill_and_wait();

    /// Waits for the child to exit; returns its wait status.
    int wait();

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string buffer_;
};

}  // namespace mfd::storage::test
