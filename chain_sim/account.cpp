#include "chain_sim/account.hpp"

namespace mfd::chain {

core::Bytes encode_account(const AccountState& account) {
    core::Bytes out(kAccountRecordSize);
    core::put_be64(out.data(), account.nonce);
    const core::Hash balance = account.balance.to_be32();
    std::copy(balance.bytes.begin(), balance.bytes.end(), out.begin() + 8);
    out[40] = account.is_contract ? 1 : 0;
    return out;
}

core::Result<AccountState> decode_account(core::ByteView record) {
    if (record.size() != kAccountRecordSize) {
        return core::fail(core::Errc::kCorruption,
                          "account record of " + std::to_string(record.size()) + " bytes");
    }
    if (record[40] > 1) return core::fail(core::Errc::kCorruption, "account record flags");
    AccountState account;
    account.nonce = core::get_be64(record.data());
    account.balance = *core::U256::from_be(record.subspan(8, 32));
    account.is_contract = record[40] == 1;
    return account;
}

}  // namespace mfd::chain
