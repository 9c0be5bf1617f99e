// decode_transaction on arbitrary bytes: whatever decodes re-encodes to the same bytes and
// decodes again to the same value; validation, hashing and sender recovery never crash, and
// check_transaction agrees with the three separate steps.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/keccak.hpp"
#include "core/transaction.hpp"
#include "core/transaction_rules.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mfd::core;
    const ByteView raw(data, size);
    auto tx = decode_transaction(raw);
    auto checked = check_transaction(raw, TxRules{1});
    if (!tx) {
        check(!checked && checked.error().code == tx.error().code);
        return 0;
    }
    const Bytes encoded = encode_transaction(*tx);
    check(encoded == Bytes(raw.begin(), raw.end()));
    auto again = decode_transaction(encoded);
    check(again.has_value() && *again == *tx);
    check(transaction_hash(*tx) == keccak256(raw));
    const auto valid = validate_transaction(*tx, TxRules{1});
    const auto sender = recover_sender(*tx);
    check(checked.has_value() == (valid.has_value() && sender.has_value()));
    if (checked) check(checked->sender == *sender && checked->hash == keccak256(raw));
    (void)signing_hash(*tx);
    (void)intrinsic_gas(*tx);
    return 0;
}
