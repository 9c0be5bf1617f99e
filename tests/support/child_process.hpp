#pragma once
/// A child process for the tests that run real programs: started with fork/exec, its stdout and
/// stderr read line by line through one pipe with a timeout, signalled and reaped. Killed
/// (SIGKILL) on destruction if still running. Not thread-safe.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace mfd::test {

class ChildProcess {
public:
    /// Starts `argv[0]` with `argv`; running() is false when the pipe or fork failed (a program
    /// that cannot be executed exits with status 127).
    explicit ChildProcess(const std::vector<std::string>& argv);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    [[nodiscard]] bool running() const noexcept { return pid_ > 0 && !status_; }
    /// The next output line (without '\n'), or nothing when none came within `timeout` or the
    /// output ended.
    [[nodiscard]] std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    /// Reads lines until one contains `needle`; that line, or nothing after `timeout`.
    [[nodiscard]] std::optional<std::string> wait_for(const std::string& needle,
                                                      std::chrono::milliseconds timeout);
    /// Everything read so far.
    [[nodiscard]] const std::string& output() const noexcept { return output_; }
    /// Sends `signal`.
    void signal(int signal);
    /// Waits up to `timeout` for the exit, keeping the pipe drained (what the child printed stays
    /// readable with read_line); the wait status, or nothing.
    [[nodiscard]] std::optional<int> wait(std::chrono::milliseconds timeout);
    /// Sends SIGKILL and reaps the child; its wait status, or nothing if it outlived `timeout`.
    [[nodiscard]] std::optional<int> kill_and_wait(
        std::chrono::milliseconds timeout = std::chrono::seconds(30));

private:
    /// Appends what the pipe holds within `timeout` to the buffer; false at end of output.
    bool fill(std::chrono::milliseconds timeout);

    pid_t pid_ = -1;
    int fd_ = -1;
    std::string buffer_;
    std::string output_;
    std::optional<int> status_;
};

/// Runs `command` through the shell and returns its stdout.
[[nodiscard]] std::string run_capture(const std::string& command);

}  // namespace mfd::test
