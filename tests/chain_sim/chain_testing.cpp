#include "tests/chain_sim/chain_testing.hpp"

#include <map>

namespace mfd::chain::test {

const core::PrivateKey& key(int i) {
    static std::map<int, core::PrivateKey> keys;
    auto it = keys.find(i);
    if (it == keys.end()) {
        const std::string material = "chain-test-key-" + std::to_string(i);
        it = keys.emplace(i, core::PrivateKey::derive(core::as_bytes(material))).first;
    }
    return it->second;
}

core::Address addr(int i) {
    return key(i).address();
}

core::Address address(std::string_view hex) {
    return *core::fixed_from_hex<20>(hex);
}

core::Address proposer() {
    return address("0x00000000000000000000000000000000000000fe");
}

ChainConfig test_config() {
    ChainConfig c;
    c.chain_id = kChainId;
    c.block_gas_limit = kGasLimit;
    c.initial_base_fee = kBaseFee;
    for (int i = 0; i < kFundedKeys; ++i) c.allocations.push_back({addr(i), kEther * 100});
    return c;
}

core::Transaction tx_to(std::optional<core::Address> to, std::uint64_t nonce,
                        const core::U256& value, core::Bytes data, std::uint64_t gas_limit) {
    core::Transaction tx;
    tx.type = core::TxType::kDynamicFee;
    tx.chain_id = kChainId;
    tx.nonce = nonce;
    tx.max_fee_per_gas = kBaseFee * 2;
    tx.max_priority_fee_per_gas = kBaseFee;
    tx.gas_limit = gas_limit;
    tx.to = to;
    tx.value = value;
    tx.data = std::move(data);
    return tx;
}

core::CheckedTransaction sign(core::Transaction tx, int signer) {
    const auto chain_id = tx.chain_id.has_value() ? tx.chain_id : std::nullopt;
    auto signed_tx = core::sign_transaction(std::move(tx), key(signer), chain_id);
    EXPECT_TRUE(signed_tx.has_value());
    const core::Bytes raw = core::encode_transaction(*signed_tx);
    return core::CheckedTransaction{*signed_tx, addr(signer), core::keccak256(raw)};
}

core::Bytes calldata(std::string_view selector_hex, std::initializer_list<core::Hash> words) {
    core::Bytes out = *core::from_hex(selector_hex);
    for (const auto& w : words) core::append(out, w.view());
    return out;
}

core::Hash word_of(const core::Address& a) {
    return core::Hash::right_aligned(a.view());
}

core::Hash word_of(const core::U256& v) {
    return v.to_be32();
}

core::Bytes deploy_payload(std::string_view kind, std::string_view constructor_signature,
                           const std::vector<core::abi::Value>& values) {
    const core::Hash tag = core::keccak256("mfd.contract." + std::string(kind));
    core::Bytes out(tag.bytes.begin(), tag.bytes.begin() + 4);
    const auto sig = core::abi::parse_signature(constructor_signature);
    EXPECT_TRUE(sig.has_value());
    auto args = core::abi::encode(sig->inputs, values);
    EXPECT_TRUE(args.has_value());
    core::append(out, *args);
    return out;
}

void ChainTest::SetUp() {
    auto chain = Chain::open(store_, test_config());
    ASSERT_TRUE(chain.has_value()) << chain.error().to_string();
    chain_ = std::move(*chain);
}

ExecutedBlock ChainTest::commit_block(const std::vector<core::CheckedTransaction>& txs) {
    auto built =
        chain_->build_block(txs, BlockContext{chain_->head().timestamp_ms + 1000, proposer(), {}});
    EXPECT_TRUE(built.has_value());
    for (const auto& s : built->skipped) ADD_FAILURE() << "skipped: " << s.reason.to_string();
    auto committed = chain_->commit(built->executed);
    EXPECT_TRUE(committed.has_value()) << committed.error().to_string();
    return built->executed;
}

core::Receipt ChainTest::run(int signer, std::optional<core::Address> to, const core::U256& value,
                             core::Bytes data, std::uint64_t gas_limit) {
    const auto tx = sign(tx_to(to, nonce(addr(signer)), value, std::move(data), gas_limit), signer);
    ExecutedBlock block = commit_block({tx});
    if (block.receipts.size() != 1) {
        ADD_FAILURE() << "transaction not included";
        return {};
    }
    return block.receipts[0];
}

core::Address ChainTest::deploy(int signer, core::Bytes payload, const core::U256& value) {
    const core::Receipt r = run(signer, std::nullopt, value, std::move(payload), 2'000'000);
    EXPECT_TRUE(r.success) << r.message;
    EXPECT_TRUE(r.contract_address.has_value());
    return r.contract_address.value_or(core::Address{});
}

core::Bytes ChainTest::view(const core::Address& to, core::Bytes data) {
    auto result = chain_->call(CallRequest{addr(0), to, 0, std::move(data), std::nullopt});
    EXPECT_TRUE(result.has_value()) << result.error().to_string();
    return result ? result->output : core::Bytes{};
}

core::U256 ChainTest::balance(const core::Address& a) {
    auto account = chain_->account(a);
    EXPECT_TRUE(account.has_value());
    return account ? account->balance : core::U256{};
}

std::uint64_t ChainTest::nonce(const core::Address& a) {
    auto account = chain_->account(a);
    EXPECT_TRUE(account.has_value());
    return account ? account->nonce : 0;
}

}  // namespace mfd::chain::test
