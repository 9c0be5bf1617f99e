// decode_transaction: the legacy and typed envelopes, field by field, with each RLP or width
// error renamed to the reason ethereum/tests gives for that field.
#include <array>
#include <string>

#include "core/rlp.hpp"
#include "core/transaction.hpp"

namespace mfd::core {
namespace {

enum class Field {
    kChainId,
    kNonce,
    kGasPrice,
    kMaxPriorityFee,
    kMaxFee,
    kGasLimit,
    kTo,
    kValue,
    kData,
    kAccessList,
    kV,
    kR,
    kS
};

constexpr std::array<const char*, 13> kFieldNames = {"chainId",
                                                     "nonce",
                                                     "gasPrice",
                                                     "maxPriorityFeePerGas",
                                                     "maxFeePerGas",
                                                     "gasLimit",
                                                     "to",
                                                     "value",
                                                     "data",
                                                     "accessList",
                                                     "v",
                                                     "r",
                                                     "s"};

// A field-specific reason for a generic one (kOutOfRange: the value is too wide).
struct Rename {
    Field field;
    Errc generic;
    Errc specific;
};

constexpr Rename kRenames[] = {
    {Field::kChainId, Errc::kOutOfRange, Errc::kTxInvalidChainId},
    {Field::kNonce, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosNonce},
    {Field::kNonce, Errc::kRlpSingleByteString, Errc::kTxLeadingZerosNonceSize},
    {Field::kNonce, Errc::kRlpExpectedString, Errc::kTxInvalidNonce},
    {Field::kNonce, Errc::kOutOfRange, Errc::kTxNonceOverflow},
    {Field::kGasPrice, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosGasPrice},
    {Field::kGasPrice, Errc::kOutOfRange, Errc::kTxGasPriceOverflow},
    {Field::kMaxPriorityFee, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosPriorityFee},
    {Field::kMaxPriorityFee, Errc::kOutOfRange, Errc::kTxPriorityFeeOverflow},
    {Field::kMaxFee, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosMaxFee},
    {Field::kMaxFee, Errc::kOutOfRange, Errc::kTxGasPriceOverflow},
    {Field::kGasLimit, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosGasLimit},
    {Field::kGasLimit, Errc::kRlpExpectedString, Errc::kTxInvalidGasLimit},
    {Field::kGasLimit, Errc::kOutOfRange, Errc::kTxGasLimitOverflow},
    {Field::kTo, Errc::kRlpExpectedString, Errc::kTxInvalidTo},
    {Field::kValue, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosValue},
    {Field::kValue, Errc::kOutOfRange, Errc::kTxValueOverflow},
    {Field::kData, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosDataSize},
    {Field::kData, Errc::kRlpExpectedString, Errc::kTxInvalidData},
    {Field::kAccessList, Errc::kRlpExpectedList, Errc::kTxAccessListShape},
    {Field::kV, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosV},
    {Field::kV, Errc::kOutOfRange, Errc::kTxInvalidSignature},
    {Field::kR, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosR},
    {Field::kR, Errc::kRlpExpectedString, Errc::kTxInvalidSignatureR},
    {Field::kR, Errc::kOutOfRange, Errc::kTxInvalidSignature},
    {Field::kS, Errc::kRlpLeadingZeros, Errc::kTxLeadingZerosS},
    {Field::kS, Errc::kRlpExpectedString, Errc::kTxInvalidSignatureS},
    {Field::kS, Errc::kOutOfRange, Errc::kTxInvalidSignature},
};

Error field_error(Field field, Error e) {
    for (const Rename& r : kRenames) {
        if (r.field == field && r.generic == e.code) e.code = r.specific;
    }
    e.message = std::string(kFieldNames[static_cast<std::size_t>(field)]) + ": " + e.message;
    return e;
}

// Reads the fields of one transaction list in order, naming each error after its field.
class FieldReader {
public:
    explicit FieldReader(RlpListReader reader) noexcept : reader_(reader) {}

    Result<RlpItem> item(Field field) {
        auto item = reader_.next();
        if (item) return item;
        if (item.error().code == Errc::kRlpWrongFieldCount) {
            return fail(Errc::kTxRlpTooFewElements,
                        "transaction list ends before " + std::string(name(field)));
        }
        return fail(field_error(field, item.error()));
    }
    Result<std::uint64_t> u64(Field field) { return number<std::uint64_t>(field, rlp_uint64); }
    Result<U256> u256(Field field) { return number<U256>(field, rlp_u256); }
    Result<Bytes> bytes(Field field) {
        auto it = item(field);
        if (!it) return fail(it.error());
        auto s = rlp_string(*it);
        if (!s) return fail(field_error(field, s.error()));
        return Bytes(s->begin(), s->end());
    }
    Result<std::optional<Address>> to();
    Result<void> finish() const {
        if (reader_.at_end()) return {};
        return fail(
            Errc::kTxRlpTooManyElements,
            "transaction list has more than " + std::to_string(reader_.position()) + " fields");
    }

private:
    static const char* name(Field f) { return kFieldNames[static_cast<std::size_t>(f)]; }

    template <class T, class Read>
    Result<T> number(Field field, Read read) {
        auto it = item(field);
        if (!it) return fail(it.error());
        auto value = read(*it);
        if (!value) return fail(field_error(field, value.error()));
        return *value;
    }

    RlpListReader reader_;
};

Result<std::optional<Address>> FieldReader::to() {
    auto raw = bytes(Field::kTo);
    if (!raw) return fail(raw.error());
    if (raw->empty()) return std::optional<Address>{};
    if (raw->size() < Address::kSize) {
        return fail(Errc::kTxAddressTooShort, "to: " + std::to_string(raw->size()) + " bytes");
    }
    if (raw->size() > Address::kSize) {
        return fail(Errc::kTxAddressTooLong, "to: " + std::to_string(raw->size()) + " bytes");
    }
    return std::optional<Address>{*Address::from(*raw)};
}

// An address or storage key of an access list: exactly N bytes.
template <std::size_t N>
Result<FixedBytes<N>> access_list_bytes(const RlpItem& item, Errc as_list, Errc too_short,
                                        Errc too_long, const char* what) {
    if (item.is_list) return fail(as_list, std::string("access list ") + what + " is a list");
    const auto size = item.payload.size();
    if (size != N) {
        return fail(size < N ? too_short : too_long,
                    std::string("access list ") + what + " of " + std::to_string(size) + " bytes");
    }
    return *FixedBytes<N>::from(item.payload);
}

Result<std::vector<Hash>> storage_keys(const RlpItem& list) {
    auto reader = RlpListReader::open(list);
    if (!reader) return fail(Errc::kTxAccessListShape, "access list storage keys are a string");
    std::vector<Hash> keys;
    while (!reader->at_end()) {
        auto item = reader->next();
        if (!item) return fail(item.error());
        auto key = access_list_bytes<32>(*item, Errc::kTxAccessListStorageKey,
                                         Errc::kTxAccessListStorageTooShort,
                                         Errc::kTxAccessListStorageTooLong, "storage key");
        if (!key) return fail(key.error());
        keys.push_back(*key);
    }
    return keys;
}

Result<AccessListEntry> access_list_entry(const RlpItem& entry) {
    auto items = rlp_list_items(entry);
    if (!items) {
        return fail(Errc::kTxAccessListShape, "access list entry: " + items.error().message);
    }
    if (items->size() != 2) {
        return fail(Errc::kTxAccessListShape,
                    "access list entry has " + std::to_string(items->size()) + " items, not 2");
    }
    auto address = access_list_bytes<20>((*items)[0], Errc::kTxAccessListAddress,
                                         Errc::kTxAccessListAddressTooShort,
                                         Errc::kTxAccessListAddressTooLong, "address");
    if (!address) return fail(address.error());
    auto keys = storage_keys((*items)[1]);
    if (!keys) return fail(keys.error());
    return AccessListEntry{*address, std::move(*keys)};
}

Result<AccessList> access_list(FieldReader& fields) {
    auto list = fields.item(Field::kAccessList);
    if (!list) return fail(list.error());
    auto reader = RlpListReader::open(*list);
    if (!reader) return fail(field_error(Field::kAccessList, reader.error()));
    AccessList out;
    while (!reader->at_end()) {
        auto entry = reader->next();
        if (!entry) return fail(field_error(Field::kAccessList, entry.error()));
        auto parsed = access_list_entry(*entry);
        if (!parsed) return fail(parsed.error());
        out.push_back(std::move(*parsed));
    }
    return out;
}

#define MFD_READ(target, expr)                    \
    do {                                          \
        auto value_ = (expr);                     \
        if (!value_) return fail(value_.error()); \
        target = std::move(*value_);              \
    } while (false)

// The part of the legacy v that EIP-155 defines: parity and chain id, when v is well-formed.
void derive_from_v(Transaction& tx) {
    if (tx.v == U256(27) || tx.v == U256(28)) {
        tx.y_parity = static_cast<std::uint8_t>(tx.v.low64() - 27);
        return;
    }
    if (tx.v < U256(35)) return;
    const U256 id = (tx.v - U256(35)) >> 1;
    tx.y_parity = static_cast<std::uint8_t>((tx.v.low64() - 35) & 1);
    if (id.fits_u64()) tx.chain_id = id.low64();
}

Result<void> read_signature(FieldReader& f, Transaction& tx) {
    MFD_READ(tx.v, f.u256(Field::kV));
    MFD_READ(tx.r, f.u256(Field::kR));
    MFD_READ(tx.s, f.u256(Field::kS));
    if (tx.type == TxType::kLegacy) {
        derive_from_v(tx);
    } else if (tx.v > U256(1)) {
        return fail(Errc::kTxInvalidSignature, "yParity " + tx.v.to_dec() + " is not 0 or 1");
    } else {
        tx.y_parity = static_cast<std::uint8_t>(tx.v.low64());
    }
    return {};
}

// Reads every field of `tx.type` into `tx`, then checks that no field is left.
Result<void> read_fields(FieldReader& f, Transaction& tx) {
    if (tx.type != TxType::kLegacy) MFD_READ(tx.chain_id, f.u64(Field::kChainId));
    MFD_READ(tx.nonce, f.u64(Field::kNonce));
    if (tx.type == TxType::kDynamicFee) {
        MFD_READ(tx.max_priority_fee_per_gas, f.u256(Field::kMaxPriorityFee));
        MFD_READ(tx.max_fee_per_gas, f.u256(Field::kMaxFee));
    } else {
        MFD_READ(tx.gas_price, f.u256(Field::kGasPrice));
    }
    MFD_READ(tx.gas_limit, f.u64(Field::kGasLimit));
    MFD_READ(tx.to, f.to());
    MFD_READ(tx.value, f.u256(Field::kValue));
    MFD_READ(tx.data, f.bytes(Field::kData));
    if (tx.type != TxType::kLegacy) MFD_READ(tx.access_list, access_list(f));
    auto sig = read_signature(f, tx);
    if (!sig) return sig;
    return f.finish();
}

#undef MFD_READ

// Decodes the transaction list that makes up all of `body`.
Result<Transaction> decode_list(ByteView body, TxType type) {
    auto top = rlp_read_item(body);
    if (!top) {
        Error e = top.error();
        if (e.code == Errc::kRlpLeadingZeros) e.code = Errc::kTxRlpListSizeLeadingZeros;
        return fail(std::move(e));
    }
    if (top->encoded.size() != body.size()) {  // ethereum/tests: a size error, before fields
        return fail(Errc::kRlpSizeOverflow,
                    "transaction list of " + std::to_string(top->encoded.size()) +
                        " bytes in an envelope of " + std::to_string(body.size()));
    }
    auto reader = RlpListReader::open(*top);
    if (!reader) return fail(reader.error());
    FieldReader fields(*reader);
    Transaction tx;
    tx.type = type;
    auto read = read_fields(fields, tx);
    if (!read) return fail(read.error());
    return tx;
}

}  // namespace

Result<Transaction> decode_transaction(ByteView raw) {
    if (raw.empty()) return fail(Errc::kRlpEof, "empty transaction");
    const std::uint8_t first = raw[0];
    if (first >= 0xc0) return decode_list(raw, TxType::kLegacy);
    if (first >= 0x80) {
        auto item = rlp_read_item(raw);
        if (!item) return fail(item.error());
        return fail(Errc::kTxTypeNotSupported,
                    "an RLP string is neither a legacy transaction nor a typed envelope");
    }
    if (first != 1 && first != 2) {
        return fail(Errc::kTxTypeNotSupported,
                    "transaction type " + std::to_string(first) + " is not supported");
    }
    return decode_list(raw.subspan(1), static_cast<TxType>(first));
}

}  // namespace mfd::core
