// Block application with state in RocksDB, commit included: blocks of 10,000 Ether transfers and
// of 10,000 ERC20 transfers, senders already recovered (core::CheckedTransaction). The blocks are
// built beforehand on a MemoryStore chain with the same genesis; each iteration applies one
// (header checks, execution, state root, receipts root) and commits it (WAL synced). Rates are
// per wall-clock second (the chain hashes on two threads; RocksDB writes from its own).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "chain_sim/chain.hpp"
#include "chain_sim/contracts/host.hpp"
#include "core/abi.hpp"
#include "core/keccak.hpp"
#include "storage/memory_store.hpp"
#include "storage/rocks_store.hpp"

namespace {

using namespace mfd;

constexpr std::size_t kTxPerBlock = 10'000;
constexpr int kBlocks = 8;
const core::U256 kFee = 1'000'000'000;

core::Address account(std::size_t i) {
    core::Address a;
    a.bytes[0] = 0xaa;
    for (int b = 0; b < 8; ++b) a.bytes[19 - b] = static_cast<std::uint8_t>(i >> (8 * b));
    return a;
}

chain::ChainConfig config() {
    chain::ChainConfig c;
    c.chain_id = 7;
    c.block_gas_limit = 1'000'000'000;
    c.initial_base_fee = kFee;
    for (std::size_t i = 0; i < 2 * kTxPerBlock; ++i) {
        c.allocations.push_back({account(i), core::U256(1'000'000'000'000'000'000ULL)});
    }
    return c;
}

core::CheckedTransaction checked(const core::Address& from, std::uint64_t nonce,
                                 const core::Address& to, core::Bytes data, std::uint64_t gas) {
    core::Transaction tx;
    tx.type = core::TxType::kDynamicFee;
    tx.chain_id = 7;
    tx.nonce = nonce;
    tx.max_fee_per_gas = kFee * 2;
    tx.max_priority_fee_per_gas = 1;
    tx.gas_limit = gas;
    tx.to = to;
    tx.value = data.empty() ? 1 : 0;
    tx.data = std::move(data);
    tx.r = 1;
    tx.s = 1;
    return {tx, from, core::transaction_hash(tx)};
}

struct Prepared {
    std::vector<core::Block> blocks;
    std::vector<std::vector<core::CheckedTransaction>> txs;
};

/// Builds and commits `lists` on `chain`, keeping the blocks.
void build_into(chain::Chain& chain, std::vector<std::vector<core::CheckedTransaction>> lists,
                Prepared* keep) {
    for (auto& list : lists) {
        auto built = chain.build_block(list, {chain.head().timestamp_ms + 1000, account(0), {}});
        if (!built || !built->skipped.empty() || !chain.commit(built->executed)) {
            if (built && !built->skipped.empty()) {
                std::fprintf(stderr, "skipped: %s\n", built->skipped[0].reason.to_string().c_str());
            }
            std::abort();
        }
        if (keep) {
            keep->blocks.push_back(std::move(built->executed.block));
            keep->txs.push_back(std::move(list));
        }
    }
}

std::vector<core::CheckedTransaction> transfer_block(int b) {
    std::vector<core::CheckedTransaction> txs;
    for (std::size_t i = 0; i < kTxPerBlock; ++i) {
        const std::size_t from = (static_cast<std::size_t>(b) % 2) * kTxPerBlock + i;
        txs.push_back(checked(account(from), static_cast<std::uint64_t>(b / 2),
                              account((from + 7919) % (2 * kTxPerBlock)), {}, 21'000));
    }
    return txs;
}

core::Bytes transfer_call(const core::Address& to, std::uint64_t amount) {
    static const auto sig = *core::abi::parse_signature("transfer(address,uint256)");
    return *core::abi::encode_call(sig,
                                   {core::abi::Value::address(to), core::abi::Value::uint(amount)});
}

core::Bytes token_payload() {
    static const auto ctor = *core::abi::parse_signature("c(string,string,uint8,uint256)");
    const core::Hash tag = core::keccak256("mfd.contract.ERC20");
    core::Bytes out(tag.bytes.begin(), tag.bytes.begin() + 4);
    core::append(
        out, *core::abi::encode(
                 ctor.inputs, {core::abi::Value::string("Bench"), core::abi::Value::string("B"),
                               core::abi::Value::uint(18), core::abi::Value::uint(1'000'000'000)}));
    return out;
}

/// Setup blocks (token deployment and distribution to every account) and measured blocks of
/// ERC20 transfers between holders; setup blocks are applied before timing starts.
std::pair<Prepared, std::size_t> erc20_blocks(chain::Chain& chain) {
    Prepared p;
    core::Transaction deploy;
    deploy.type = core::TxType::kDynamicFee;
    deploy.chain_id = 7;
    deploy.max_fee_per_gas = kFee * 2;
    deploy.gas_limit = 2'000'000;
    deploy.data = token_payload();
    deploy.r = deploy.s = 1;
    build_into(chain,
               {{core::CheckedTransaction{deploy, account(0), core::transaction_hash(deploy)}}},
               &p);
    const core::Address token = chain::contracts::create_address(account(0), 0);
    std::vector<std::vector<core::CheckedTransaction>> setup(2);
    for (std::size_t i = 1; i < 2 * kTxPerBlock; ++i) {
        setup[i / kTxPerBlock].push_back(
            checked(account(0), i, token, transfer_call(account(i), 1000), 100'000));
    }
    build_into(chain, setup, &p);
    const std::size_t setup_blocks = p.blocks.size();
    std::vector<std::vector<core::CheckedTransaction>> measured(kBlocks);
    for (int b = 0; b < kBlocks; ++b) {
        for (std::size_t i = 0; i < kTxPerBlock; ++i) {
            const std::size_t from = (static_cast<std::size_t>(b) % 2) * kTxPerBlock + i;
            const std::uint64_t nonce =
                (from == 0 ? 2 * kTxPerBlock : 0) + static_cast<std::uint64_t>(b / 2);
            measured[b].push_back(
                checked(account(from), nonce, token,
                        transfer_call(account((from + 7919) % (2 * kTxPerBlock)), 1), 100'000));
        }
    }
    build_into(chain, measured, &p);
    return {std::move(p), setup_blocks};
}

/// A RocksStore in a fresh temporary directory, removed afterwards.
struct TempRocks {
    TempRocks() {
        std::string pattern = (std::filesystem::temp_directory_path() / "mfd-chain-bench-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        dir = pattern;
        auto opened = storage::RocksStore::open(dir);
        if (!opened) std::abort();
        store = std::move(*opened);
    }
    ~TempRocks() {
        store.reset();
        std::filesystem::remove_all(dir);
    }
    std::filesystem::path dir;
    std::unique_ptr<storage::RocksStore> store;
};

void apply_prepared(benchmark::State& state, const Prepared& p, std::size_t skip) {
    TempRocks rocks;
    auto chain = chain::Chain::open(*rocks.store, config());
    if (!chain) std::abort();
    for (std::size_t i = 0; i < skip; ++i) {
        if (!(*chain)->apply_block(p.blocks[i], p.txs[i])) std::abort();
    }
    std::size_t next = skip;
    for (auto _ : state) {
        auto applied = (*chain)->apply_block(p.blocks[next], p.txs[next]);
        if (!applied) {
            state.SkipWithError(applied.error().to_string().c_str());
            break;
        }
        ++next;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>((next - skip) * kTxPerBlock));
}

void BM_ApplyTransferBlockRocks(benchmark::State& state) {
    storage::MemoryStore memory;
    auto chain = chain::Chain::open(memory, config());
    if (!chain) std::abort();
    Prepared p;
    std::vector<std::vector<core::CheckedTransaction>> lists;
    for (int b = 0; b < kBlocks; ++b) lists.push_back(transfer_block(b));
    build_into(**chain, std::move(lists), &p);
    apply_prepared(state, p, 0);
}
BENCHMARK(BM_ApplyTransferBlockRocks)
    ->Iterations(kBlocks)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_BuildAndCommitTransferBlockRocks(benchmark::State& state) {
    TempRocks rocks;
    auto chain = chain::Chain::open(*rocks.store, config());
    if (!chain) std::abort();
    std::vector<std::vector<core::CheckedTransaction>> lists;
    for (int b = 0; b < kBlocks; ++b) lists.push_back(transfer_block(b));
    std::size_t next = 0;
    for (auto _ : state) {
        build_into(**chain, {lists[next++]}, nullptr);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(next * kTxPerBlock));
}
BENCHMARK(BM_BuildAndCommitTransferBlockRocks)
    ->Iterations(kBlocks)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_ApplyErc20TransferBlockRocks(benchmark::State& state) {
    storage::MemoryStore memory;
    auto chain = chain::Chain::open(memory, config());
    if (!chain) std::abort();
    auto [p, setup] = erc20_blocks(**chain);
    apply_prepared(state, p, setup);
}
BENCHMARK(BM_ApplyErc20TransferBlockRocks)
    ->Iterations(kBlocks)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
