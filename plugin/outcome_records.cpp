#include "plugin/outcome_records.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

namespace mfd::plugin {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kFindingTag = 'f';
constexpr std::uint8_t kAccountTag = 'a';
constexpr std::size_t kFindingKeySize = 1 + 8 + 32;

/// Appends little-endian fixed-width values.
class Writer {
public:
    explicit Writer(std::size_t reserve) { out_.reserve(reserve); }
    template <class T>
    Writer& put(T v) {
        std::uint8_t b[sizeof(T)];
        std::memcpy(b, &v, sizeof(T));
        if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
        out_.insert(out_.end(), b, b + sizeof(T));
        return *this;
    }
    Writer& bytes(core::ByteView v) {
        core::append(out_, v);
        return *this;
    }
    [[nodiscard]] core::Bytes take() { return std::move(out_); }

private:
    core::Bytes out_;
};

/// Reads what Writer wrote; ok() turns false at the first read past the end.
class Reader {
public:
    explicit Reader(core::ByteView in) : in_(in) {}
    template <class T>
    T get() {
        T v{};
        if (pos_ + sizeof(T) > in_.size()) {
            ok_ = false;
            return v;
        }
        std::uint8_t b[sizeof(T)];
        std::memcpy(b, in_.data() + pos_, sizeof(T));
        if constexpr (std::endian::native == std::endian::big) std::reverse(b, b + sizeof(T));
        std::memcpy(&v, b, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    template <std::size_t N>
    core::FixedBytes<N> fixed() {
        core::FixedBytes<N> v;
        if (pos_ + N > in_.size()) {
            ok_ = false;
            return v;
        }
        std::memcpy(v.data(), in_.data() + pos_, N);
        pos_ += N;
        return v;
    }
    /// True when every read fitted and the input is used up.
    [[nodiscard]] bool complete() const noexcept { return ok_ && pos_ == in_.size(); }

private:
    core::ByteView in_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

core::Unexpected corrupt(std::string_view what, std::string problem) {
    return core::fail(core::Errc::kCorruption, std::string(what) + " record: " + problem);
}

core::Result<void> check_version(Reader& r, std::string_view what) {
    const auto v = r.get<std::uint8_t>();
    if (v != kVersion) return corrupt(what, "version " + std::to_string(v) + " is not 1");
    return {};
}

}  // namespace

core::Bytes outcome_key(const core::Hash& tx) {
    return tx.to_bytes();
}

core::Bytes finding_prefix(std::uint64_t height) {
    core::Bytes k(9);
    k[0] = kFindingTag;
    core::put_be64(k.data() + 1, height);
    return k;
}

core::Bytes finding_key(std::uint64_t height, const core::Hash& tx) {
    core::Bytes k(kFindingKeySize);
    k[0] = kFindingTag;
    core::put_be64(k.data() + 1, height);
    std::memcpy(k.data() + 9, tx.data(), 32);
    return k;
}

bool is_finding_key(core::ByteView key) noexcept {
    return key.size() == kFindingKeySize && key[0] == kFindingTag;
}

core::Bytes account_flags_key(const core::Address& account) {
    core::Bytes k(1 + 20);
    k[0] = kAccountTag;
    std::memcpy(k.data() + 1, account.data(), 20);
    return k;
}

core::Bytes head_key() {
    const core::ByteView b = core::as_bytes("fraud_plugin.head");
    return core::Bytes(b.begin(), b.end());
}

core::Bytes encode_outcome(const TxOutcome& o) {
    const std::uint8_t flags = (o.included ? 1 : 0) | (o.excluded ? 2 : 0);
    return Writer(28)
        .put(kVersion)
        .put(o.height)
        .put(flags)
        .put(o.flagged_power)
        .put(o.total_power)
        .put(o.mean_score)
        .take();
}

core::Result<TxOutcome> decode_outcome(core::ByteView bytes) {
    Reader r(bytes);
    if (auto v = check_version(r, "outcome"); !v) return core::fail(v.error());
    TxOutcome o;
    o.height = r.get<std::uint64_t>();
    const auto flags = r.get<std::uint8_t>();
    o.flagged_power = r.get<std::int64_t>();
    o.total_power = r.get<std::int64_t>();
    o.mean_score = r.get<std::uint16_t>();
    if (!r.complete()) return corrupt("outcome", "length " + std::to_string(bytes.size()));
    if (flags > 3) return corrupt("outcome", "unknown flag bits " + std::to_string(flags));
    o.included = (flags & 1) != 0;
    o.excluded = (flags & 2) != 0;
    return o;
}

core::Bytes encode_finding(const Finding& f) {
    const std::uint8_t has = (f.sender ? 1 : 0) | (f.to ? 2 : 0) | (f.local_probability ? 4 : 0);
    Writer w(80);
    w.put(kVersion).put(f.flagged_power).put(f.total_power).put(f.mean_score);
    w.put(static_cast<std::uint8_t>(f.excluded ? 1 : 0)).put(has);
    if (f.sender) w.bytes(f.sender->view());
    if (f.to) w.bytes(f.to->view());
    if (f.local_probability) w.put(*f.local_probability);
    return w.take();
}

core::Result<Finding> decode_finding(core::ByteView key, core::ByteView value) {
    if (!is_finding_key(key)) return corrupt("finding", "malformed key");
    Finding f;
    f.height = core::get_be64(key.data() + 1);
    std::memcpy(f.tx.data(), key.data() + 9, 32);
    Reader r(value);
    if (auto v = check_version(r, "finding"); !v) return core::fail(v.error());
    f.flagged_power = r.get<std::int64_t>();
    f.total_power = r.get<std::int64_t>();
    f.mean_score = r.get<std::uint16_t>();
    const auto excluded = r.get<std::uint8_t>();
    const auto has = r.get<std::uint8_t>();
    if (excluded > 1 || has > 7) return corrupt("finding", "unknown flag bits");
    f.excluded = excluded == 1;
    if (has & 1) f.sender = r.fixed<20>();
    if (has & 2) f.to = r.fixed<20>();
    if (has & 4) f.local_probability = r.get<float>();
    if (!r.complete()) return corrupt("finding", "length " + std::to_string(value.size()));
    return f;
}

core::Bytes encode_account_flags(const AccountFlags& a) {
    return Writer(9).put(kVersion).put(a.flagged).put(a.excluded).take();
}

core::Result<AccountFlags> decode_account_flags(core::ByteView bytes) {
    Reader r(bytes);
    if (auto v = check_version(r, "account flags"); !v) return core::fail(v.error());
    AccountFlags a;
    a.flagged = r.get<std::uint32_t>();
    a.excluded = r.get<std::uint32_t>();
    if (!r.complete()) return corrupt("account flags", "length " + std::to_string(bytes.size()));
    return a;
}

core::Bytes encode_head(const Head& h) {
    return Writer(49).put(kVersion).put(h.height).put(h.time_ms).bytes(h.block_hash.view()).take();
}

core::Result<Head> decode_head(core::ByteView bytes) {
    Reader r(bytes);
    if (auto v = check_version(r, "head"); !v) return core::fail(v.error());
    Head h;
    h.height = r.get<std::uint64_t>();
    h.time_ms = r.get<std::int64_t>();
    h.block_hash = r.fixed<32>();
    if (!r.complete()) return corrupt("head", "length " + std::to_string(bytes.size()));
    return h;
}

}  // namespace mfd::plugin
