#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>

namespace mfd::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    if (pid_ < 0) {
        close(fds[0]);
        return;
    }
    fd_ = fds[0];
}

ChildProcess::~ChildProcess() {
    if (running()) (void)kill_and_wait(std::chrono::seconds(10));
    if (fd_ >= 0) close(fd_);
}

bool ChildProcess::fill(std::chrono::milliseconds timeout) {
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return true;
    std::array<char, 4096> chunk;
    const ssize_t n = ::read(fd_, chunk.data(), chunk.size());
    if (n <= 0) {
        close(fd_);
        fd_ = -1;
        return false;
    }
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    output_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !fill(left)) return std::nullopt;
    }
}

std::optional<std::string> ChildProcess::wait_for(const std::string& needle,
                                                  std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        auto line = read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now()));
        if (!line) return std::nullopt;
        if (line->find(needle) != std::string::npos) return line;
    }
    return std::nullopt;
}

void ChildProcess::signal(int sig) {
    if (running()) kill(pid_, sig);
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (status_ || pid_ <= 0) return status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int st = 0;
        if (waitpid(pid_, &st, WNOHANG) == pid_) {
            status_ = st;
            return status_;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        // Keep the pipe drained so a child blocked on a full pipe can exit; without output
        // left, poll the exit every 20 ms.
        if (!fill(std::chrono::milliseconds(20))) usleep(20'000);
    }
}

std::optional<int> ChildProcess::kill_and_wait(std::chrono::milliseconds timeout) {
    signal(SIGKILL);
    return wait(timeout);
}

std::string run_capture(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (p == nullptr) return out;
    std::array<char, 4096> buf;
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    pclose(p);
    return out;
}

}  // namespace mfd::test
