#include "chain_sim/sim/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace mfd::chain::sim {

Progress::Progress(std::uint64_t total, bool enabled)
    : total_(std::max<std::uint64_t>(total, 1)),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::update(std::uint64_t done, std::uint64_t txs) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (tty_) {
        if (now - last_draw_ < std::chrono::milliseconds(200)) return;
        last_draw_ = now;
        draw(done, txs);
        return;
    }
    const std::uint64_t tenth = done * 10 / total_;
    if (tenth == last_tenth_) return;
    last_tenth_ = tenth;
    draw(done, txs);
}

void Progress::finish(std::uint64_t done, std::uint64_t txs) {
    if (!enabled_) return;
    draw(done, txs);
    if (tty_) std::fputc('\n', stderr);
}

void Progress::draw(std::uint64_t done, std::uint64_t txs) {
    constexpr int kWidth = 30;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const auto filled = static_cast<int>(std::min(done, total_) * kWidth / total_);
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                            std::string(static_cast<std::size_t>(kWidth - filled), '.');
    std::fprintf(stderr, "%s[%s] %llu/%llu blocks  %llu txs  %.0f tx/s  %.0f s%s", tty_ ? "\r" : "",
                 bar.c_str(), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_), static_cast<unsigned long long>(txs),
                 seconds > 0 ? static_cast<double>(txs) / seconds : 0.0, seconds,
                 tty_ ? "  " : "\n");
    std::fflush(stderr);
}

}  // namespace mfd::chain::sim
