// The chain's JSON-RPC methods through the dispatcher, answered by the node's driving thread.
#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "chain_sim/node/chain_rpc.hpp"
#include "core/keccak.hpp"
#include "storage/chain_records.hpp"
#include "tests/node/cluster.hpp"

namespace mfd::chain::test {
namespace {

using Json = nlohmann::json;
using namespace std::chrono_literals;

class ChainRpcTest : public ::testing::Test {
protected:
    void SetUp() override {
        cluster_ = std::make_unique<Cluster>(dir_.path(), small_traffic(),
                                             [](std::size_t) { return nullptr; });
        ASSERT_TRUE(cluster_->run_to(8));
        rpc_ = std::make_unique<node::ChainRpc>(
            queue_, cluster_->node(0),
            [this](core::ByteView raw) { return cluster_->node(0).admit(raw); });
        ASSERT_TRUE(rpc_->add_methods(dispatcher_));
    }

    /// One call, served by this (driving) thread while a client thread waits.
    Json call(const std::string& method, Json params = Json::array()) {
        const Json request = {
            {"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
        auto answer =
            std::async(std::launch::async, [&] { return dispatcher_.handle(request.dump()); });
        while (answer.wait_for(0ms) != std::future_status::ready) queue_.wait_and_run(5ms);
        const auto text = answer.get();
        return text ? Json::parse(*text) : Json();
    }

    /// A transfer signed by the dev account.
    core::Bytes dev_transfer(std::uint64_t nonce) {
        core::Transaction tx;
        tx.type = core::TxType::kDynamicFee;
        tx.chain_id = 1337;
        tx.nonce = nonce;
        tx.max_priority_fee_per_gas = 1'000'000'000;
        tx.max_fee_per_gas = 50'000'000'000ULL;
        tx.gas_limit = 21'000;
        tx.to = core::Address{};
        tx.to->bytes[19] = 0x42;
        tx.value = 1000;
        auto signed_tx = core::sign_transaction(tx, sim::dev_key(), 1337);
        EXPECT_TRUE(signed_tx);
        return core::encode_transaction(*signed_tx);
    }

    TempDir dir_;
    std::unique_ptr<Cluster> cluster_;
    node::TaskQueue queue_;
    rpc::Dispatcher dispatcher_;
    std::unique_ptr<node::ChainRpc> rpc_;
};

TEST_F(ChainRpcTest, ChainIdAndHeight) {
    EXPECT_EQ(call("eth_chainId")["result"], "0x539");
    EXPECT_EQ(call("net_version")["result"], "1337");
    const auto head = cluster_->node(0).chain().head().number;
    EXPECT_EQ(call("eth_blockNumber")["result"], rpc::to_quantity(head));
}

TEST_F(ChainRpcTest, BlocksReceiptsAndTransactionsAgree) {
    const Json block = call("eth_getBlockByNumber", {"0x3", false})["result"];
    ASSERT_TRUE(block.is_object()) << block;
    EXPECT_EQ(block["number"], "0x3");
    EXPECT_EQ(call("eth_getBlockByHash", {block["hash"], false})["result"]["number"], "0x3");
    std::string tx_hash;
    for (std::uint64_t h = 2; h <= 8 && tx_hash.empty(); ++h) {
        const Json b = call("eth_getBlockByNumber", {rpc::to_quantity(h), true})["result"];
        if (!b["transactions"].empty()) tx_hash = b["transactions"][0]["hash"];
    }
    ASSERT_FALSE(tx_hash.empty());
    const Json tx = call("eth_getTransactionByHash", {tx_hash})["result"];
    const Json receipt = call("eth_getTransactionReceipt", {tx_hash})["result"];
    EXPECT_EQ(receipt["transactionHash"], tx_hash);
    EXPECT_EQ(receipt["blockHash"], tx["blockHash"]);
    EXPECT_EQ(receipt["from"], tx["from"]);
    EXPECT_TRUE(receipt["status"] == "0x1" || receipt["status"] == "0x0");
    EXPECT_TRUE(call("eth_getBlockByNumber", {"0x100000", false})["result"].is_null());
    EXPECT_TRUE(call("eth_getTransactionReceipt", {core::Hash{}.hex()})["result"].is_null());
}

TEST_F(ChainRpcTest, AccountsAndAdmission) {
    const std::string dev = sim::dev_key().address().hex();
    EXPECT_EQ(call("eth_getBalance", {dev, "latest"})["result"],
              rpc::to_quantity(sim::dev_balance()));
    EXPECT_EQ(call("eth_getTransactionCount", {dev, "pending"})["result"], "0x0");
    const core::Bytes raw = dev_transfer(0);
    const Json sent = call("eth_sendRawTransaction", {rpc::to_data(raw)});
    EXPECT_EQ(sent["result"], core::keccak256(raw).hex()) << sent;
    EXPECT_EQ(call("eth_getTransactionCount", {dev, "pending"})["result"], "0x1");
    EXPECT_EQ(call("eth_getTransactionByHash", {sent["result"]})["result"]["blockHash"], nullptr);

    const Json again = call("eth_sendRawTransaction", {rpc::to_data(raw)});
    EXPECT_EQ(again["error"]["code"], -32003) << again;
    const Json garbage = call("eth_sendRawTransaction", {"0x1234"});
    EXPECT_EQ(garbage["error"]["code"], -32003) << garbage;
    EXPECT_NE(garbage["error"]["message"].get<std::string>().find("rejected"), std::string::npos);
    EXPECT_EQ(call("eth_getBalance", {"0x12"})["error"]["code"], -32602);
}

// Issue 11: different "data" and "input" were accepted (the last one won); geth refuses them.
TEST_F(ChainRpcTest, CallDataAndInputMustAgree) {
    const std::string dev = sim::dev_key().address().hex();
    const Json to = "0x0000000000000000000000000000000000000042";
    const Json same = call(
        "eth_call", {{{"from", dev}, {"to", to}, {"data", "0x01"}, {"input", "0x01"}}, "latest"});
    EXPECT_TRUE(same.contains("result")) << same;
    const Json differ = call(
        "eth_call", {{{"from", dev}, {"to", to}, {"data", "0x01"}, {"input", "0x02"}}, "latest"});
    EXPECT_EQ(differ["error"]["code"], -32602) << differ;
    EXPECT_NE(differ.dump().find("not equal"), std::string::npos) << differ;
    EXPECT_EQ(
        call("eth_estimateGas",
             {{{"from", dev}, {"to", to}, {"data", "0x01"}, {"input", "0x02"}}})["error"]["code"],
        -32602);
}

TEST_F(ChainRpcTest, ValidatorsOfTheNextHeight) {
    const Json v = call("chain_getValidators")["result"];
    ASSERT_EQ(v["validators"].size(), 4U);
    EXPECT_EQ(v["totalPower"], "0x28");
}

}  // namespace
}  // namespace mfd::chain::test
