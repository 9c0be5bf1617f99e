#include "fraud/account_stats.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <type_traits>

namespace mfd::fraud {
namespace {

constexpr std::uint8_t kRecordVersion = 3;
/// Version 2 records lack `stale_refused` (the last field); they decode with it at 0.
constexpr std::uint8_t kRecordVersion2 = 2;

/// Three bit positions of `a` in a sketch of `bits` bits (addresses are already uniform).
std::array<std::size_t, 3> probes(const core::Address& a, std::size_t bits) noexcept {
    std::uint64_t h = 0;
    std::memcpy(&h, a.data() + 4, sizeof h);
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return {h % bits, (h >> 21) % bits, (h >> 42) % bits};
}

float decay(float v, double dt_ms, double half_life_ms) noexcept {
    return static_cast<float>(v * std::exp2(-dt_ms / half_life_ms));
}

class Writer {
public:
    template <class T>
    void put(const T& v) {
        const std::size_t at = out_.size();
        out_.resize(at + sizeof(T));
        std::memcpy(out_.data() + at, &v, sizeof(T));  // the project targets little-endian hosts
    }
    void reserve(std::size_t n) { out_.reserve(n); }
    core::Bytes take() { return std::move(out_); }

private:
    core::Bytes out_;
};

class Reader {
public:
    explicit Reader(core::ByteView in) : in_(in) {}
    template <class T>
    void get(T& v) {
        if (pos_ + sizeof(T) > in_.size()) {
            short_ = true;
            return;
        }
        std::memcpy(&v, in_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
    }
    [[nodiscard]] bool exact() const noexcept { return !short_ && pos_ == in_.size(); }

private:
    core::ByteView in_;
    std::size_t pos_ = 0;
    bool short_ = false;
};

/// Visits every field of `s` in record order (shared by encode and decode).
template <class S, class F>
void fields(S& s, F&& f, std::uint8_t version = kRecordVersion) {
    f(s.first_seen_ms), f(s.last_seen_ms), f(s.last_out_ms), f(s.last_in_ms), f(s.decay_ms);
    f(s.out_count), f(s.in_count), f(s.out_new), f(s.in_new), f(s.failed);
    f(s.calls_out), f(s.calls_in), f(s.unprotected_out), f(s.keyed_accounts), f(s.next_nonce);
    f(s.excluded_out), f(s.excluded_in);
    f(s.out_value), f(s.in_value), f(s.last_in_value), f(s.last_out_value);
    f(s.out_amount.n), f(s.out_amount.mean), f(s.out_amount.m2);
    f(s.out_interval.n), f(s.out_interval.mean), f(s.out_interval.m2);
    f(s.in_amount.n), f(s.in_amount.mean), f(s.in_amount.m2);
    f(s.vel_out_short), f(s.vel_out_long), f(s.vel_in_short), f(s.vel_in_long), f(s.new_senders);
    f(s.new_fanout);
    f(s.last_style);
    for (auto& w : s.counterparties.words) f(w);
    for (auto& w : s.claimed_for.words) f(w);
    if (version >= 3) f(s.stale_refused);
}

bool finite_numbers(const AccountStats& s) {
    bool ok = true;
    fields(s, [&](const auto& v) {
        if constexpr (std::is_floating_point_v<std::decay_t<decltype(v)>>) ok &= std::isfinite(v);
    });
    return ok;
}

}  // namespace

void Welford::add(double x) noexcept {
    n += 1;
    const double d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
}

double Welford::z(double x) const noexcept {
    if (n < 2) return 0;
    const double sd = std::sqrt(m2 / (n - 1));
    return std::clamp((x - mean) / std::max(sd, 0.05), -10.0, 10.0);
}

template <std::size_t Bits>
void AddressSketch<Bits>::add(const core::Address& a) noexcept {
    for (std::size_t b : probes(a, Bits)) words[b / 64] |= std::uint64_t{1} << (b % 64);
}

template <std::size_t Bits>
bool AddressSketch<Bits>::contains(const core::Address& a) const noexcept {
    for (std::size_t b : probes(a, Bits)) {
        if (!(words[b / 64] & (std::uint64_t{1} << (b % 64)))) return false;
    }
    return true;
}

template struct AddressSketch<512>;
template struct AddressSketch<128>;

void AccountStats::decay_to(std::int64_t now_ms) noexcept {
    if (now_ms <= decay_ms) return;
    const auto dt = static_cast<double>(now_ms - decay_ms);
    vel_out_short = decay(vel_out_short, dt, kShortHalfLifeMs);
    vel_out_long = decay(vel_out_long, dt, kLongHalfLifeMs);
    vel_in_short = decay(vel_in_short, dt, kShortHalfLifeMs);
    vel_in_long = decay(vel_in_long, dt, kLongHalfLifeMs);
    new_senders = decay(new_senders, dt, kNewSenderHalfLifeMs);
    new_fanout = decay(new_fanout, dt, kNewSenderHalfLifeMs);
    stale_refused = decay(stale_refused, dt, kNewSenderHalfLifeMs);
    decay_ms = now_ms;
}

AccountStats decayed(const AccountStats& s, std::int64_t now_ms) noexcept {
    AccountStats out = s;
    out.decay_to(now_ms);
    return out;
}

core::Bytes encode_account_stats(const AccountStats& s) {
    Writer w;
    w.reserve(512);
    w.put(kRecordVersion);
    fields(s, [&](const auto& v) { w.put(v); });
    return w.take();
}

core::Result<AccountStats> decode_account_stats(core::ByteView bytes) {
    if (bytes.empty() || (bytes[0] != kRecordVersion && bytes[0] != kRecordVersion2)) {
        return core::fail(core::Errc::kCorruption,
                          "account history record: unknown version (expected " +
                              std::to_string(kRecordVersion2) + " or " +
                              std::to_string(kRecordVersion) + ")");
    }
    Reader r(bytes.subspan(1));
    AccountStats s;
    fields(
        s, [&](auto& v) { r.get(v); }, bytes[0]);
    if (!r.exact()) {
        return core::fail(core::Errc::kCorruption,
                          "account history record: " + std::to_string(bytes.size()) +
                              " bytes is not the record size");
    }
    if (!finite_numbers(s)) {
        return core::fail(core::Errc::kCorruption, "account history record: non-finite number");
    }
    return s;
}

}  // namespace mfd::fraud
