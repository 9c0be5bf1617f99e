// Random call sequences against the built-in contracts, differentially: every block is built on
// a MemoryStore-backed chain and applied to a RocksStore-backed one (in a fresh directory), which
// must accept it with the same receipts and state root. Ether and token supplies must be
// conserved over the known accounts. A fixed setup block deploys two ERC20s, a SwapPool, an
// Escrow and a Multisig first.
#include <fuzzer/FuzzedDataProvider.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include "chain_sim/chain.hpp"
#include "chain_sim/contracts/host.hpp"
#include "core/abi.hpp"
#include "core/keccak.hpp"
#include "storage/memory_store.hpp"
#include "storage/rocks_store.hpp"

namespace {

using namespace mfd;
namespace abi = core::abi;

constexpr int kKeys = 5;  // key 4 holds nothing
const core::U256 kFee = 1000;
const core::U256 kGenesisEther = core::U256(1'000'000'000'000'000ULL);

void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_contract: %s\n", what);
        std::abort();
    }
}

core::Address key(int i) {
    core::Address a;
    a.bytes[0] = 0x10;
    a.bytes[19] = static_cast<std::uint8_t>(i);
    return a;
}

const core::Address kProposer = [] {
    core::Address a;
    a.bytes[19] = 0xfe;
    return a;
}();

chain::ChainConfig config() {
    chain::ChainConfig c;
    c.chain_id = 5;
    c.block_gas_limit = 8'000'000;
    c.initial_base_fee = kFee;
    for (int i = 0; i + 1 < kKeys; ++i) c.allocations.push_back({key(i), kGenesisEther});
    return c;
}

core::Bytes with_tag(std::string_view kind, const std::string& ctor,
                     const std::vector<abi::Value>& values) {
    const core::Hash tag = core::keccak256("mfd.contract." + std::string(kind));
    core::Bytes out(tag.bytes.begin(), tag.bytes.begin() + 4);
    auto args = abi::encode(abi::parse_signature(ctor)->inputs, values);
    if (args) core::append(out, *args);
    return out;
}

core::Bytes call_data(const std::string& signature, const std::vector<abi::Value>& values) {
    auto data = abi::encode_call(*abi::parse_signature(signature), values);
    return data ? *data : core::Bytes{};
}

/// One RocksStore for the whole run (opening one per input would dominate), emptied before each
/// input so every input starts from genesis; its directory is removed at exit.
storage::RocksStore& shared_rocks() {
    static std::filesystem::path dir;
    static std::unique_ptr<storage::RocksStore> store = [] {
        const auto base = std::filesystem::exists("/dev/shm")
                              ? std::filesystem::path("/dev/shm")
                              : std::filesystem::temp_directory_path();
        std::string pattern = (base / "mfd-fuzz-contract-XXXXXX").string();
        check(::mkdtemp(pattern.data()) != nullptr, "mkdtemp");
        dir = pattern;
        storage::RocksStoreOptions small;
        small.block_cache_bytes = 1 << 20;
        small.write_buffer_bytes = 1 << 20;
        small.total_write_buffer_bytes = 8 << 20;
        auto opened = storage::RocksStore::open(dir, small);
        check(opened.has_value(), "open rocks");
        std::atexit([] {
            store.reset();
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        });
        return std::move(*opened);
    }();
    return *store;
}

void wipe(storage::RocksStore& store) {
    core::WriteBatch batch;
    for (core::Column c : core::all_columns()) {
        auto scanned = store.scan(c, {}, [&](core::ByteView key, core::ByteView) {
            batch.erase(c, key);
            return true;
        });
        check(scanned.has_value(), "scan");
    }
    check(store.write(batch, false).has_value(), "wipe");
}

/// The two chains, the contracts and the senders' next nonces.
struct World {
    storage::MemoryStore memory;
    std::unique_ptr<chain::Chain> reference;
    std::unique_ptr<chain::Chain> replica;
    std::map<std::string, core::Address> contracts;
    std::array<std::uint64_t, kKeys> nonces{};
    std::vector<core::CheckedTransaction> pending;
    std::vector<core::Address> created;  ///< contracts the fuzzed transactions deployed
    core::U256 burned;

    World() {
        storage::RocksStore& rocks = shared_rocks();
        wipe(rocks);
        auto a = chain::Chain::open(memory, config());
        auto b = chain::Chain::open(rocks, config());
        check(a && b, "open chains");
        reference = std::move(*a);
        replica = std::move(*b);
    }

    void add(int sender, std::optional<core::Address> to, const core::U256& value, core::Bytes data,
             std::uint64_t exec_gas, std::int64_t nonce_shift = 0, core::U256 fee_cap = kFee * 2) {
        core::Transaction tx;
        tx.type = core::TxType::kDynamicFee;
        tx.chain_id = 5;
        tx.nonce =
            static_cast<std::uint64_t>(static_cast<std::int64_t>(nonces[sender]) + nonce_shift);
        tx.max_fee_per_gas = fee_cap;
        tx.max_priority_fee_per_gas = 7;
        tx.to = to;
        tx.value = value;
        tx.data = std::move(data);
        tx.gas_limit = core::intrinsic_gas(tx) + exec_gas;
        // Unsigned: the chain trusts CheckedTransaction's sender. A signature that differs per
        // sender keeps the hashes of equal bodies from different senders apart, as real ones do.
        tx.r = static_cast<std::uint64_t>(sender) + 1;
        tx.s = 1;
        pending.push_back({tx, key(sender), core::transaction_hash(tx)});
    }

    void seal() {
        auto built =
            reference->build_block(pending, {reference->head().timestamp_ms + 1, kProposer, {}});
        check(built.has_value(), "build");
        std::map<core::Hash, const core::CheckedTransaction*> by_hash;
        for (const auto& tx : pending) by_hash[tx.hash] = &tx;
        std::vector<core::CheckedTransaction> included;
        for (const auto& h : built->executed.tx_hashes) included.push_back(*by_hash.at(h));
        check(reference->commit(built->executed).has_value(), "commit reference");
        auto applied = replica->apply_block(built->executed.block, included);
        if (!applied) std::fprintf(stderr, "%s\n", applied.error().to_string().c_str());
        check(applied.has_value(), "replica rejected the block");
        check(applied->receipts == built->executed.receipts, "receipts differ");
        check(applied->changes == built->executed.changes, "state changes differ");
        check(replica->head_hash() == reference->head_hash(), "heads differ");
        burned += built->executed.burned;
        for (const auto& r : built->executed.receipts) {
            if (r.contract_address) created.push_back(*r.contract_address);
        }
        for (int i = 0; i < kKeys; ++i) nonces[i] = reference->account(key(i))->nonce;
        pending.clear();
    }
};

void setup(World& w) {
    const auto token = [](const char* symbol) {
        return with_tag("ERC20", "c(string,string,uint8,uint256)",
                        {abi::Value::string(symbol), abi::Value::string(symbol),
                         abi::Value::uint(0), abi::Value::uint(1'000'000)});
    };
    w.add(0, std::nullopt, 0, token("A"), 600'000);
    w.add(0, std::nullopt, 0, token("B"), 600'000, 1);
    w.contracts["A"] = chain::contracts::create_address(key(0), 0);
    w.contracts["B"] = chain::contracts::create_address(key(0), 1);
    w.add(0, std::nullopt, 0,
          with_tag("SwapPool", "c(address,address)",
                   {abi::Value::address(w.contracts["A"]), abi::Value::address(w.contracts["B"])}),
          600'000, 2);
    w.contracts["pool"] = chain::contracts::create_address(key(0), 2);
    w.add(1, std::nullopt, 5000,
          with_tag("Escrow", "c(address,address)",
                   {abi::Value::address(key(2)), abi::Value::address(key(3))}),
          600'000);
    w.contracts["escrow"] = chain::contracts::create_address(key(1), 0);
    w.add(2, std::nullopt, 9000,
          with_tag("Multisig", "c(address[],uint256)",
                   {abi::Value::list({abi::Value::address(key(0)), abi::Value::address(key(1)),
                                      abi::Value::address(key(2))}),
                    abi::Value::uint(2)}),
          600'000);
    w.contracts["multisig"] = chain::contracts::create_address(key(2), 0);
    w.seal();
    for (const char* t : {"A", "B"}) {
        w.add(0, w.contracts[t], 0,
              call_data("approve(address,uint256)", {abi::Value::address(w.contracts["pool"]),
                                                     abi::Value::uint(core::U256::max())}),
              100'000);
        w.seal();
    }
    w.add(0, w.contracts["pool"], 0,
          call_data("addLiquidity(uint256,uint256)",
                    {abi::Value::uint(100'000), abi::Value::uint(300'000)}),
          300'000);
    w.seal();
    check(w.reference->account(w.contracts["multisig"])->balance == core::U256(9000), "setup");
}

/// An address the fuzzer picks: a key, a contract, or the zero address.
core::Address pick_address(FuzzedDataProvider& in, const World& w) {
    const int n = in.ConsumeIntegralInRange<int>(0, kKeys + 5);
    if (n < kKeys) return key(n);
    static const char* const kNames[] = {"A", "B", "pool", "escrow", "multisig"};
    if (n < kKeys + 5) return w.contracts.at(kNames[n - kKeys]);
    return core::Address{};
}

core::U256 pick_amount(FuzzedDataProvider& in) {
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
        return in.ConsumeIntegralInRange<std::uint64_t>(0, 10);
    case 1:
        return in.ConsumeIntegralInRange<std::uint64_t>(0, 2'000'000);
    case 2:
        return core::U256::max() - in.ConsumeIntegralInRange<std::uint64_t>(0, 2);
    default: {
        const auto bytes = in.ConsumeBytes<std::uint8_t>(32);
        return *core::U256::from_be(bytes);
    }
    }
}

/// One transaction chosen by the input.
void fuzz_call(FuzzedDataProvider& in, World& w) {
    const int sender = in.ConsumeIntegralInRange<int>(0, kKeys - 1);
    static const std::vector<std::pair<const char*, std::string>> kCalls = {
        {"A", "transfer(address,uint256)"},
        {"B", "transferFrom(address,address,uint256)"},
        {"A", "approve(address,uint256)"},
        {"pool", "swap(address,uint256,uint256)"},
        {"pool", "addLiquidity(uint256,uint256)"},
        {"pool", "removeLiquidity(uint256)"},
        {"escrow", "release()"},
        {"escrow", "refund()"},
        {"escrow", "deposit()"},
        {"multisig", "submit(address,uint256,bytes)"},
        {"multisig", "confirm(uint256)"},
        {"multisig", "execute(uint256)"},
        {"multisig", "deposit()"},
        {"B", "balanceOf(address)"},
    };
    const std::size_t choice = in.ConsumeIntegralInRange<std::size_t>(0, kCalls.size() + 1);
    const core::U256 value =
        in.ConsumeBool() ? core::U256(in.ConsumeIntegralInRange<int>(0, 3000)) : 0;
    const std::uint64_t gas = in.ConsumeIntegralInRange<std::uint64_t>(0, 400'000);
    const std::int64_t shift = in.ConsumeIntegralInRange<int>(0, 15) == 0 ? 1 : 0;
    if (choice == kCalls.size()) {  // plain transfer or random calldata to anyone
        w.add(sender, pick_address(in, w), value,
              in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<int>(0, 80)), gas, shift);
        return;
    }
    if (choice == kCalls.size() + 1) {  // deployment of arbitrary bytes behind a real tag
        static const char* const kKinds[] = {"ERC20", "Escrow", "SwapPool", "Multisig"};
        const core::Hash tag = core::keccak256(std::string("mfd.contract.") +
                                               kKinds[in.ConsumeIntegralInRange<int>(0, 3)]);
        core::Bytes payload(tag.bytes.begin(), tag.bytes.begin() + 4);
        core::append(payload,
                     in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<int>(0, 200)));
        w.add(sender, std::nullopt, value, payload, gas, shift);
        return;
    }
    const auto& [target, signature] = kCalls[choice];
    const auto sig = *abi::parse_signature(signature);
    std::vector<abi::Value> args;
    for (const auto& t : sig.inputs) {
        if (t.kind == abi::Kind::kAddress) {
            args.push_back(abi::Value::address(pick_address(in, w)));
        } else if (t.kind == abi::Kind::kBytes) {
            const bool token_call = in.ConsumeBool();
            args.push_back(abi::Value::bytes(
                token_call ? call_data("transfer(address,uint256)",
                                       {abi::Value::address(pick_address(in, w)),
                                        abi::Value::uint(pick_amount(in))})
                           : in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<int>(0, 40))));
        } else {
            args.push_back(abi::Value::uint(pick_amount(in)));
        }
    }
    w.add(sender, w.contracts.at(target), value, *abi::encode_call(sig, args), gas, shift);
}

core::U256 token_balance(const World& w, const core::Address& token, const core::Address& who) {
    auto out = w.reference->call(chain::CallRequest{
        key(0), token, 0, call_data("balanceOf(address)", {abi::Value::address(who)}), {}});
    check(out.has_value(), "balanceOf");
    return *core::U256::from_be(out->output);
}

void check_conservation(const World& w) {
    std::vector<core::Address> holders = {kProposer};
    for (int i = 0; i < kKeys; ++i) holders.push_back(key(i));
    for (const auto& [name, address] : w.contracts) holders.push_back(address);
    core::U256 ether = w.burned + w.reference->account(core::Address{})->balance;
    for (const auto& h : holders) ether += w.reference->account(h)->balance;
    for (const auto& c : w.created) {
        if (std::find(holders.begin(), holders.end(), c) == holders.end()) {
            ether += w.reference->account(c)->balance;
        }
    }
    check(ether == kGenesisEther * (kKeys - 1), "Ether not conserved");
    for (const char* t : {"A", "B"}) {
        core::U256 supply;
        holders.push_back(core::Address{});
        for (const auto& h : holders) supply += token_balance(w, w.contracts.at(t), h);
        holders.pop_back();
        check(supply == core::U256(1'000'000), "token supply not conserved");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    World w;
    setup(w);
    for (int ops = 0; ops < 40 && in.remaining_bytes() > 0; ++ops) {
        if (in.ConsumeIntegralInRange<int>(0, 7) == 0) w.seal();
        fuzz_call(in, w);
    }
    w.seal();
    check_conservation(w);
    return 0;
}
