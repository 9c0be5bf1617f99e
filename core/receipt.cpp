#include "core/receipt.hpp"

#include <array>
#include <string>
#include <utility>

#include "core/keccak.hpp"
#include "core/rlp.hpp"

namespace mfd::core {
namespace {

constexpr std::size_t kReceiptFields = 9;

// The three (byte index, bit mask) pairs `item` sets in a bloom.
std::array<std::pair<std::size_t, std::uint8_t>, 3> bloom_bits(ByteView item) noexcept {
    const Hash h = keccak256(item);
    std::array<std::pair<std::size_t, std::uint8_t>, 3> out{};
    for (std::size_t i = 0; i < 3; ++i) {
        const unsigned bit = ((unsigned{h.bytes[2 * i]} << 8) | h.bytes[2 * i + 1]) & 2047U;
        out[i] = {Bloom::kSize - 1 - bit / 8, static_cast<std::uint8_t>(1U << (bit % 8))};
    }
    return out;
}

Error corrupt(const std::string& what) {
    return Error{Errc::kCorruption, "receipt: " + what};
}

void add_log(RlpEncoder& enc, const Log& log) {
    enc.begin_list().add_bytes(log.address.view()).begin_list();
    for (const Hash& topic : log.topics) enc.add_bytes(topic.view());
    enc.end_list().add_bytes(log.data).end_list();
}

Result<Log> decode_log(const RlpItem& item) {
    auto fields = rlp_list_items(item);
    if (!fields) return fail(fields.error());
    if (fields->size() != 3) return fail(corrupt("a log has 3 fields"));
    Log log;
    auto address = rlp_fixed_bytes<20>((*fields)[0]);
    if (!address) return fail(corrupt("log address: " + address.error().message));
    log.address = *address;
    auto topics = rlp_list_items((*fields)[1]);
    if (!topics) return fail(corrupt("log topics: " + topics.error().message));
    if (topics->size() > kMaxLogTopics) return fail(corrupt("a log has at most 4 topics"));
    for (const RlpItem& t : *topics) {
        auto topic = rlp_fixed_bytes<32>(t);
        if (!topic) return fail(corrupt("log topic: " + topic.error().message));
        log.topics.push_back(*topic);
    }
    auto data = rlp_string((*fields)[2]);
    if (!data) return fail(corrupt("log data: " + data.error().message));
    log.data.assign(data->begin(), data->end());
    return log;
}

Result<void> decode_outcome(const std::vector<RlpItem>& f, Receipt& r) {
    auto success = rlp_uint64(f[0]);
    if (!success) return fail(success.error());
    if (*success > 1) return fail(corrupt("success flag must be 0 or 1"));
    r.success = *success == 1;
    auto code = rlp_uint64(f[1]);
    if (!code) return fail(code.error());
    const auto failure =
        *code <= 0xffff ? errc_from_value(static_cast<std::uint16_t>(*code)) : std::nullopt;
    if (!failure) return fail(corrupt("unknown failure code " + std::to_string(*code)));
    if ((*failure == Errc::kOk) != r.success) {
        return fail(corrupt("failure code must be OK exactly when the transaction succeeded"));
    }
    r.failure = *failure;
    auto message = rlp_string(f[2]);
    if (!message) return fail(message.error());
    if (message->size() > kMaxReceiptMessage) {
        return fail(Errc::kLimitExceeded,
                    "receipt: message of " + std::to_string(message->size()) + " bytes");
    }
    r.message.assign(message->begin(), message->end());
    return {};
}

Result<void> decode_gas(const std::vector<RlpItem>& f, Receipt& r) {
    auto used = rlp_uint64(f[3]);
    if (!used) return fail(used.error());
    auto cumulative = rlp_uint64(f[4]);
    if (!cumulative) return fail(cumulative.error());
    if (*cumulative < *used) return fail(corrupt("cumulative gas below the gas used"));
    auto price = rlp_u256(f[5]);
    if (!price) return fail(price.error());
    r.gas_used = *used;
    r.cumulative_gas_used = *cumulative;
    r.effective_gas_price = *price;
    return {};
}

Result<void> decode_logs(const std::vector<RlpItem>& f, Receipt& r) {
    auto created = rlp_string(f[6]);
    if (!created) return fail(created.error());
    if (!created->empty()) {
        auto address = Address::from(*created);
        if (!address) return fail(corrupt("contract address: " + address.error().message));
        r.contract_address = *address;
    }
    auto logs = rlp_list_items(f[7]);
    if (!logs) return fail(logs.error());
    for (const RlpItem& item : *logs) {
        auto log = decode_log(item);
        if (!log) return fail(log.error());
        r.logs.push_back(std::move(*log));
    }
    auto bloom = rlp_fixed_bytes<256>(f[8]);
    if (!bloom) return fail(corrupt("bloom: " + bloom.error().message));
    if (*bloom != logs_bloom(r.logs)) {
        return fail(Errc::kReceiptBloomMismatch, "receipt: bloom does not match its logs");
    }
    r.logs_bloom = *bloom;
    return {};
}

}  // namespace

void bloom_add(Bloom& bloom, ByteView item) noexcept {
    for (const auto& [index, mask] : bloom_bits(item)) bloom.bytes[index] |= mask;
}

bool bloom_may_contain(const Bloom& bloom, ByteView item) noexcept {
    for (const auto& [index, mask] : bloom_bits(item)) {
        if ((bloom.bytes[index] & mask) == 0) return false;
    }
    return true;
}

Bloom logs_bloom(std::span<const Log> logs) noexcept {
    Bloom bloom;
    for (const Log& log : logs) {
        bloom_add(bloom, log.address.view());
        for (const Hash& topic : log.topics) bloom_add(bloom, topic.view());
    }
    return bloom;
}

void make_receipt_bloom(Receipt& receipt) noexcept {
    receipt.logs_bloom = logs_bloom(receipt.logs);
}

Bytes encode_receipt(const Receipt& r) {
    RlpEncoder enc;
    enc.begin_list().add_uint(std::uint64_t{r.success ? 1U : 0U});
    enc.add_uint(std::uint64_t{static_cast<std::uint16_t>(r.failure)}).add_string(r.message);
    enc.add_uint(r.gas_used).add_uint(r.cumulative_gas_used).add_uint(r.effective_gas_price);
    enc.add_bytes(r.contract_address ? r.contract_address->view() : ByteView{});
    enc.begin_list();
    for (const Log& log : r.logs) add_log(enc, log);
    enc.end_list().add_bytes(r.logs_bloom.view()).end_list();
    return *enc.take();
}

Result<Receipt> decode_receipt(ByteView encoded) {
    auto top = rlp_decode(encoded);
    if (!top) return fail(top.error());
    auto fields = rlp_list_items(*top);
    if (!fields) return fail(fields.error());
    if (fields->size() != kReceiptFields) {
        return fail(Errc::kRlpWrongFieldCount,
                    "receipt has " + std::to_string(fields->size()) + " fields, not 9");
    }
    Receipt r;
    if (auto ok = decode_outcome(*fields, r); !ok) return fail(ok.error());
    if (auto ok = decode_gas(*fields, r); !ok) return fail(ok.error());
    if (auto ok = decode_logs(*fields, r); !ok) return fail(ok.error());
    return r;
}

Hash receipts_root(std::span<const Receipt> receipts) {
    RlpEncoder enc;
    enc.begin_list();
    for (const Receipt& r : receipts) enc.add_bytes(keccak256(encode_receipt(r)).view());
    enc.end_list();
    return keccak256(*enc.take());
}

}  // namespace mfd::core
