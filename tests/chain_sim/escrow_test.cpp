// Escrow: deposit by deployment and deposit(), release and refund by the allowed parties.
#include <gtest/gtest.h>

#include "tests/chain_sim/chain_testing.hpp"

namespace mfd::chain {
namespace {

using test::addr;
using test::word_of;
namespace abi = core::abi;

// Selectors: keccak256 of "deposit()", "release()", "refund()", "state()".
constexpr std::string_view kDeposit = "d0e30db0";
constexpr std::string_view kRelease = "86d1a69f";
constexpr std::string_view kRefund = "590e1ae3";
constexpr std::string_view kState = "c19d93fb";

// Depositor addr(0), beneficiary addr(1), arbiter addr(2), stranger addr(3).
class Escrow : public test::ChainTest {
protected:
    void SetUp() override {
        test::ChainTest::SetUp();
        escrow_ = deploy(
            0,
            test::deploy_payload("Escrow", "c(address,address)",
                                 {abi::Value::address(addr(1)), abi::Value::address(addr(2))}),
            1000);
    }
    core::Receipt send(int signer, std::string_view selector, const core::U256& value = 0) {
        return run(signer, escrow_, value, test::calldata(selector, {}), 200'000);
    }
    core::Bytes expected_state(std::uint64_t status, std::uint64_t amount) {
        core::Bytes out;
        for (const core::Hash& w : {word_of(core::U256(status)), word_of(addr(0)), word_of(addr(1)),
                                    word_of(addr(2)), word_of(core::U256(amount))}) {
            core::append(out, w.view());
        }
        return out;
    }
    core::Address escrow_;
};

TEST_F(Escrow, DeploymentHoldsTheDeposit) {
    EXPECT_EQ(balance(escrow_), core::U256(1000));
    EXPECT_EQ(view(escrow_, test::calldata(kState, {})), expected_state(0, 1000));
}

TEST_F(Escrow, DepositorAddsAndOthersCannot) {
    const core::Receipt added = send(0, kDeposit, 500);
    ASSERT_TRUE(added.success) << added.message;
    ASSERT_EQ(added.logs.size(), 1u);
    EXPECT_EQ(added.logs[0].topics[0], core::keccak256("Deposited(address,uint256)"));
    EXPECT_EQ(added.logs[0].topics[1], word_of(addr(0)));
    EXPECT_EQ(balance(escrow_), core::U256(1500));
    const core::U256 before = balance(addr(3));
    const core::Receipt other = send(3, kDeposit, 500);
    EXPECT_FALSE(other.success);
    EXPECT_EQ(other.message, "Escrow: only the depositor deposits");
    EXPECT_EQ(balance(escrow_), core::U256(1500));
    EXPECT_EQ(balance(addr(3)), before - core::U256(other.gas_used) * other.effective_gas_price);
}

TEST_F(Escrow, ReleasePaysTheBeneficiaryOnce) {
    const core::U256 before = balance(addr(1));
    EXPECT_FALSE(send(3, kRelease).success);
    const core::Receipt released = send(2, kRelease);
    ASSERT_TRUE(released.success) << released.message;
    EXPECT_EQ(balance(addr(1)), before + 1000);
    EXPECT_EQ(balance(escrow_), core::U256(0));
    ASSERT_EQ(released.logs.size(), 1u);
    EXPECT_EQ(released.logs[0].topics[0], core::keccak256("Released(address,uint256)"));
    EXPECT_EQ(released.logs[0].topics[1], word_of(addr(1)));
    EXPECT_EQ(view(escrow_, test::calldata(kState, {})), expected_state(1, 0));
    const core::Receipt again = send(0, kRelease);
    EXPECT_EQ(again.message, "Escrow: not open");
    EXPECT_FALSE(send(1, kRefund).success);
}

TEST_F(Escrow, RefundReturnsTheDepositToTheDepositor) {
    EXPECT_FALSE(send(0, kRefund).success);  // the depositor cannot refund itself
    const core::U256 before = balance(addr(0));
    const core::Receipt refunded = send(1, kRefund);
    ASSERT_TRUE(refunded.success) << refunded.message;
    EXPECT_EQ(balance(addr(0)), before + 1000);
    EXPECT_EQ(refunded.logs.at(0).topics[0], core::keccak256("Refunded(address,uint256)"));
    EXPECT_EQ(view(escrow_, test::calldata(kState, {})), expected_state(2, 0));
}

TEST_F(Escrow, NonPayableFunctionsRefuseValue) {
    const core::Receipt r = send(0, kRelease, 1);
    EXPECT_EQ(r.failure, core::Errc::kRevert);
    EXPECT_EQ(balance(escrow_), core::U256(1000));
}

TEST_F(Escrow, ZeroPartiesAreRefusedAtDeployment) {
    const core::Receipt r = run(
        4, std::nullopt, 10,
        test::deploy_payload("Escrow", "c(address,address)",
                             {abi::Value::address(core::Address{}), abi::Value::address(addr(2))}),
        2'000'000);
    EXPECT_FALSE(r.success);
    EXPECT_EQ(r.failure, core::Errc::kRevert);
}

}  // namespace
}  // namespace mfd::chain
