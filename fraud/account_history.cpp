#include "fraud/account_history.hpp"

#include <cmath>
#include <cstring>

namespace mfd::fraud {
namespace {

constexpr char kFeeKey[] = "g:fee";
constexpr std::uint8_t kRPrefix = 'r';
constexpr double kFeeAlpha = 0.01;

std::uint64_t fingerprint(const core::U256& r) noexcept {
    return r.limb(0) ^ (r.limb(1) * 0x9e3779b97f4a7c15ULL) ^ (r.limb(2) << 1) ^ r.limb(3);
}

core::Bytes r_key(const core::U256& r) {
    core::Bytes key{kRPrefix};
    core::append(key, r.to_be32().view());
    return key;
}

core::Result<void> load_r_values(const core::KvStore& store,
                                 std::unordered_map<std::uint64_t, std::uint64_t>& out) {
    const std::uint8_t prefix[] = {kRPrefix};
    bool bad = false;
    auto visited = store.scan(
        core::Column::kAccountHistory, prefix, [&](core::ByteView key, core::ByteView value) {
            // An account record whose address starts with 'r'.
            if (key.size() == core::Address::size()) return true;
            if (key.size() != 33 || value.size() != 32) {
                bad = true;
                return false;
            }
            out.insert_or_assign(fingerprint(*core::U256::from_be(key.subspan(1))),
                                 fingerprint(*core::U256::from_be(value)));
            return true;
        });
    if (!visited) return core::fail(visited.error());
    if (bad) return core::fail(core::Errc::kCorruption, "account history: malformed r record");
    return {};
}

}  // namespace

AccountHistory::AccountHistory(core::KvStore* store, std::size_t cache_accounts)
    : store_(store), capacity_(cache_accounts) {}

core::Result<void> AccountHistory::load() {
    if (!store_) return {};
    if (auto r = load_r_values(*store_, r_committed_); !r) return r;
    auto fee = store_->get(core::Column::kAccountHistory, core::as_bytes(kFeeKey));
    if (!fee) return core::fail(fee.error());
    if (*fee) {
        double level = 0;
        if ((*fee)->size() != sizeof level) {
            return core::fail(core::Errc::kCorruption, "account history: malformed fee level");
        }
        std::memcpy(&level, (*fee)->data(), sizeof level);
        if (!std::isfinite(level)) {
            return core::fail(core::Errc::kCorruption, "account history: non-finite fee level");
        }
        fee_level_ = fee_committed_ = level;
    }
    return {};
}

core::Result<const AccountStats*> AccountHistory::committed(const core::Address& a) {
    if (auto it = cache_.find(a); it != cache_.end()) return &it->second;
    AccountStats stats;
    if (store_) {
        auto stored = store_->get(core::Column::kAccountHistory, a.view());
        if (!stored) return core::fail(stored.error());
        if (*stored) {
            auto decoded = decode_account_stats(**stored);
            if (!decoded) {
                return core::fail(decoded.error().code,
                                  decoded.error().message + " (account " + a.hex() + ")");
            }
            stats = *decoded;
        }
    }
    return &cache_.emplace(a, stats).first->second;
}

core::Result<const AccountStats*> AccountHistory::find(const core::Address& a) {
    if (auto it = seen_.find(a); it != seen_.end()) return &it->second;
    if (auto it = pending_.find(a); it != pending_.end()) return &it->second;
    return committed(a);
}

core::Result<AccountStats*> AccountHistory::modify(const core::Address& a) {
    if (seen_mode_) {
        if (auto it = seen_.find(a); it != seen_.end()) return &it->second;
        auto base = find(a);
        if (!base) return core::fail(base.error());
        return &seen_.emplace(a, **base).first->second;
    }
    if (auto it = pending_.find(a); it != pending_.end()) return &it->second;
    auto base = committed(a);
    if (!base) return core::fail(base.error());
    return &pending_.emplace(a, **base).first->second;
}

bool AccountHistory::r_seen(const core::U256& r, const core::U256& s) const {
    const std::uint64_t f = fingerprint(r);
    const std::uint64_t fs = fingerprint(s);
    if (auto it = r_committed_.find(f); it != r_committed_.end()) return it->second != fs;
    if (auto it = r_pending_.find(f); it != r_pending_.end()) {
        if (fingerprint(it->second.s) != fs) return true;
    }
    if (auto it = r_seen_.find(f); it != r_seen_.end()) {
        const std::uint64_t marked = fs | 1;
        return (it->second[0] != 0 && it->second[0] != marked) ||
               (it->second[1] != 0 && it->second[1] != marked);
    }
    return false;
}

void AccountHistory::note_seen_r(const core::U256& r, const core::U256& s) {
    const std::uint64_t f = fingerprint(r);
    const std::uint64_t fs = fingerprint(s) | 1;  // never 0: 0 marks an empty slot
    auto [it, fresh] = r_seen_.try_emplace(f, std::array<std::uint64_t, 2>{fs, 0});
    if (fresh) {
        r_seen_order_.push_back(f);
        if (r_seen_order_.size() > kMaxSeenR) {
            r_seen_.erase(r_seen_order_.front());
            r_seen_order_.pop_front();
        }
        return;
    }
    if (it->second[0] != fs && it->second[1] == 0) it->second[1] = fs;
}

void AccountHistory::add_r(const core::U256& r, const core::U256& s) {
    if (seen_mode_) {
        note_seen_r(r, s);
        return;
    }
    const std::uint64_t f = fingerprint(r);
    if (!r_committed_.contains(f)) r_pending_.emplace(f, RecordedR{r, s});
}

void AccountHistory::observe_fee(double fee_cap_gwei) {
    if (seen_mode_) return;
    const double x = std::log(std::max(fee_cap_gwei, 1e-9));
    fee_level_ = fee_level_ ? *fee_level_ + kFeeAlpha * (x - *fee_level_) : x;
}

void AccountHistory::flush(core::WriteBatch& batch) {
    for (auto& [a, stats] : pending_) {
        batch.put(core::Column::kAccountHistory, a.view(), encode_account_stats(stats));
        cache_.insert_or_assign(a, stats);
    }
    for (const auto& [f, rs] : r_pending_) {
        batch.put(core::Column::kAccountHistory, r_key(rs.r), rs.s.to_be32().view());
        r_committed_.insert_or_assign(f, fingerprint(rs.s));
    }
    if (fee_level_ && fee_level_ != fee_committed_) {
        std::uint8_t bytes[sizeof(double)];
        std::memcpy(bytes, &*fee_level_, sizeof bytes);
        batch.put(core::Column::kAccountHistory, core::as_bytes(kFeeKey), bytes);
    }
    fee_committed_ = fee_level_;
    pending_.clear();
    r_pending_.clear();
    trim_cache();
}

void AccountHistory::discard() {
    pending_.clear();
    r_pending_.clear();
    fee_level_ = fee_committed_;
}

void AccountHistory::trim_cache() {
    if (!store_ || cache_.size() <= capacity_) return;
    const std::size_t target = capacity_ - capacity_ / 4;
    for (auto it = cache_.begin(); it != cache_.end() && cache_.size() > target;) {
        it = cache_.erase(it);
    }
}

}  // namespace mfd::fraud
