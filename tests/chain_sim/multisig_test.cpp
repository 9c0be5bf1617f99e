// Multisig: submit, confirm, execute (a value transfer and a contract call made as the
// multisig), the owner and threshold rules, and the views.
#include <gtest/gtest.h>

#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::word_of;
namespace abi = core::abi;

constexpr std::string_view kConfirm = "ba0179b5";
constexpr std::string_view kExecute = "fe0d94c1";
constexpr std::string_view kOwners = "affe39c1";
constexpr std::string_view kThreshold = "42cde4e8";
constexpr std::string_view kDeposit = "d0e30db0";
const core::Address kPayee = test::address("0x2222222222222222222222222222222222222222");

// Owners addr(0), addr(1), addr(2); threshold 2; addr(3) is not an owner.
class Multisig : public test::ChainTest {
protected:
    void SetUp() override {
        test::ChainTest::SetUp();
        wallet_ = deploy(0,
                         test::deploy_payload("Multisig", "c(address[],uint256)",
                                              {abi::Value::list({abi::Value::address(addr(0)),
                                                                 abi::Value::address(addr(1)),
                                                                 abi::Value::address(addr(2))}),
                                               abi::Value::uint(2)}),
                         10'000);
    }
    core::Bytes submit_data(const core::Address& to, const core::U256& value, core::Bytes data) {
        auto sig = abi::parse_signature("submit(address,uint256,bytes)");
        return *abi::encode_call(
            *sig, {abi::Value::address(to), abi::Value::uint(value), abi::Value::bytes(data)});
    }
    core::Receipt send(int signer, core::Bytes data) {
        return run(signer, wallet_, 0, std::move(data), 1'000'000);
    }
    core::Receipt by_id(int signer, std::string_view selector, std::uint64_t id) {
        return send(signer, test::calldata(selector, {word_of(core::U256(id))}));
    }
    core::Address wallet_;
};

TEST_F(Multisig, ValueTransferNeedsTheThreshold) {
    EXPECT_EQ(balance(wallet_), core::U256(10'000));
    const core::Receipt submitted = send(0, submit_data(kPayee, 4'000, {}));
    ASSERT_TRUE(submitted.success) << submitted.message;
    ASSERT_EQ(submitted.logs.size(), 2u);
    EXPECT_EQ(submitted.logs[0].topics[0], core::keccak256("Submitted(uint256,address)"));
    EXPECT_EQ(submitted.logs[0].topics[1], word_of(core::U256(0)));
    EXPECT_EQ(submitted.logs[0].topics[2], word_of(addr(0)));
    EXPECT_EQ(submitted.logs[1].topics[0], core::keccak256("Confirmed(uint256,address)"));

    const core::Receipt early = by_id(0, kExecute, 0);
    EXPECT_EQ(early.message, "Multisig: not enough confirmations");
    EXPECT_EQ(by_id(0, kConfirm, 0).message, "Multisig: already confirmed");
    EXPECT_FALSE(by_id(3, kConfirm, 0).success);
    ASSERT_TRUE(by_id(2, kConfirm, 0).success);

    const core::Receipt executed = by_id(1, kExecute, 0);
    ASSERT_TRUE(executed.success) << executed.message;
    EXPECT_EQ(balance(kPayee), core::U256(4'000));
    EXPECT_EQ(balance(wallet_), core::U256(6'000));
    EXPECT_EQ(executed.logs.back().topics[0], core::keccak256("Executed(uint256)"));
    EXPECT_EQ(by_id(1, kExecute, 0).message, "Multisig: transaction 0 executed");
    EXPECT_EQ(balance(kPayee), core::U256(4'000));
}

TEST_F(Multisig, ExecutesAContractCallAsTheMultisig) {
    const core::Address token =
        deploy(0, test::deploy_payload("ERC20", "c(string,string,uint8,uint256)",
                                       {abi::Value::string("T"), abi::Value::string("T"),
                                        abi::Value::uint(0), abi::Value::uint(1000)}));
    ASSERT_TRUE(
        run(0, token, 0, test::calldata("a9059cbb", {word_of(wallet_), word_of(300)})).success);
    ASSERT_TRUE(
        send(1, submit_data(token, 0, test::calldata("a9059cbb", {word_of(kPayee), word_of(120)})))
            .success);
    ASSERT_TRUE(by_id(2, kConfirm, 0).success);
    const core::Receipt executed = by_id(2, kExecute, 0);
    ASSERT_TRUE(executed.success) << executed.message;
    ASSERT_EQ(executed.logs.size(), 2u);
    EXPECT_EQ(executed.logs[0].address, token);
    EXPECT_EQ(executed.logs[0].topics[1], word_of(wallet_));  // the multisig sent it
    const auto held = [&](const core::Address& who) {
        return *core::U256::from_be(view(token, test::calldata("70a08231", {word_of(who)})));
    };
    EXPECT_EQ(held(kPayee), core::U256(120));
    EXPECT_EQ(held(wallet_), core::U256(180));
}

TEST_F(Multisig, AFailingCallRevertsExecuteSoItCanBeRetried) {
    ASSERT_TRUE(send(0, submit_data(kPayee, 50'000, {})).success);  // more than it holds
    ASSERT_TRUE(by_id(1, kConfirm, 0).success);
    const core::Receipt failed = by_id(1, kExecute, 0);
    EXPECT_FALSE(failed.success);
    EXPECT_NE(failed.message.find("Multisig: call failed"), std::string::npos) << failed.message;
    ASSERT_TRUE(run(3, wallet_, 45'000, test::calldata(kDeposit, {}), 100'000).success);
    ASSERT_TRUE(by_id(1, kExecute, 0).success);
    EXPECT_EQ(balance(kPayee), core::U256(50'000));
}

TEST_F(Multisig, ViewsAndOwnerRules) {
    core::Bytes owners;
    for (const core::Hash& w : {word_of(core::U256(32)), word_of(core::U256(3)), word_of(addr(0)),
                                word_of(addr(1)), word_of(addr(2))}) {
        core::append(owners, w.view());
    }
    EXPECT_EQ(view(wallet_, test::calldata(kOwners, {})), owners);
    EXPECT_EQ(view(wallet_, test::calldata(kThreshold, {})), word_of(core::U256(2)).to_bytes());
    EXPECT_FALSE(send(3, submit_data(kPayee, 1, {})).success);
    EXPECT_EQ(by_id(0, kConfirm, 7).message, "Multisig: no transaction 7");

    ASSERT_TRUE(send(0, submit_data(kPayee, 5, core::Bytes{1, 2, 3})).success);
    auto sig = abi::parse_signature("getTransaction(uint256)");
    const core::Bytes out = view(wallet_, *abi::encode_call(*sig, {abi::Value::uint(0)}));
    auto decoded =
        abi::decode(abi::parse_signature("t(address,uint256,bytes,uint256,bool)")->inputs, out);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ((*decoded)[0].as_address(), kPayee);
    EXPECT_EQ(*(*decoded)[1].as_uint(), core::U256(5));
    EXPECT_EQ(*(*decoded)[2].as_bytes(), (core::Bytes{1, 2, 3}));
    EXPECT_EQ(*(*decoded)[3].as_uint(), core::U256(1));
    EXPECT_EQ(*(*decoded)[4].as_uint(), core::U256(0));
}

TEST_F(Multisig, ConstructorRulesAreEnforced) {
    const auto deploy_with = [&](std::vector<core::Address> owners, std::uint64_t threshold) {
        abi::Value::List list;
        for (const auto& o : owners) list.push_back(abi::Value::address(o));
        return run(4, std::nullopt, 0,
                   test::deploy_payload("Multisig", "c(address[],uint256)",
                                        {abi::Value::list(list), abi::Value::uint(threshold)}),
                   2'000'000);
    };
    EXPECT_FALSE(deploy_with({}, 1).success);
    EXPECT_FALSE(deploy_with({addr(0), addr(0)}, 1).success);
    EXPECT_FALSE(deploy_with({addr(0), addr(1)}, 3).success);
    EXPECT_FALSE(deploy_with({addr(0), addr(1)}, 0).success);
    EXPECT_FALSE(deploy_with({addr(0), core::Address{}}, 1).success);
    EXPECT_TRUE(deploy_with({addr(0), addr(1)}, 2).success);
}

TEST_F(Multisig, DepositIsPayableAndLogged) {
    const core::Receipt r = run(5, wallet_, 77, test::calldata(kDeposit, {}), 100'000);
    ASSERT_TRUE(r.success) << r.message;
    EXPECT_EQ(balance(wallet_), core::U256(10'077));
    EXPECT_EQ(r.logs.at(0).topics[0], core::keccak256("Deposited(address,uint256)"));
    EXPECT_EQ(r.logs.at(0).data, word_of(core::U256(77)).to_bytes());
}

}  // namespace
}  // namespace mfd::chain
