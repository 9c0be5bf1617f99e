// The SwapPool kind (docs/contracts.md): a constant-product pool of two ERC20 tokens with a
// 0.3 % fee. Tokens live in the stored constructor arguments; slot 0 and 1 hold the reserves,
// slot 2 the total shares, mapping slot 3 each provider's shares. Tokens move by nested ERC20
// calls with the pool as sender. The first deposit mints sqrt(amountA · amountB) shares, later
// ones min(amountA · total / reserveA, amountB · total / reserveB); both amounts are taken.
#include "chain_sim/contracts/erc20.hpp"
#include "chain_sim/contracts/kind.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::contracts {
namespace {

namespace abi = core::abi;

const core::Hash kReserveASlot = slot_at(0);
const core::Hash kReserveBSlot = slot_at(1);
const core::Hash kTotalSharesSlot = slot_at(2);
const core::Hash kSharesSlot = slot_at(3);

struct Pool {
    core::Address token_a;
    core::Address token_b;
    core::U256 reserve_a;
    core::U256 reserve_b;
    core::U256 total_shares;
};

core::Hash shares_slot(const core::Address& owner) {
    return mapping_slot(address_word(owner), kSharesSlot);
}

core::U256 isqrt(const core::U256& n) {
    if (n.is_zero()) return n;
    core::U256 x = core::U256(1) << ((n.bit_length() + 1) / 2);
    while (true) {
        const core::U256 y = (x + n / x) >> 1;
        if (y >= x) return x;
        x = y;
    }
}

core::Result<Pool> load_pool(Frame& f) {
    auto ctor = code_args(f, swap_pool_kind().constructor.inputs);
    if (!ctor) return core::fail(ctor.error());
    Pool p{(*ctor)[0].as_address(), (*ctor)[1].as_address(), {}, {}, {}};
    for (auto [slot, out] :
         {std::pair{&kReserveASlot, &p.reserve_a}, std::pair{&kReserveBSlot, &p.reserve_b},
          std::pair{&kTotalSharesSlot, &p.total_shares}}) {
        auto v = load_number(f, *slot);
        if (!v) return core::fail(v.error());
        *out = *v;
    }
    return p;
}

core::Result<void> save_reserves(Frame& f, const core::U256& a, const core::U256& b) {
    if (auto s = store_number(f, kReserveASlot, a); !s) return s;
    return store_number(f, kReserveBSlot, b);
}

/// Adds `delta` shares to `owner` (negative when `remove`), and to the total.
core::Result<void> move_shares(Frame& f, const Pool& p, const core::Address& owner,
                               const core::U256& delta, bool remove) {
    auto held = load_number(f, shares_slot(owner));
    if (!held) return core::fail(held.error());
    if (remove && *held < delta) return revert("SwapPool: not enough shares");
    const core::U256 total = remove ? p.total_shares - delta : p.total_shares + delta;
    if (auto t = store_number(f, kTotalSharesSlot, total); !t) return t;
    return store_number(f, shares_slot(owner), remove ? *held - delta : *held + delta);
}

core::Result<core::Bytes> log_liquidity(Frame& f, std::string_view event, const core::U256& a,
                                        const core::U256& b, const core::U256& shares) {
    auto logged = f.host.emit(f.self(), {core::keccak256(event), address_word(f.caller())},
                              encode_words({a, b, shares}));
    if (!logged) return core::fail(logged.error());
    return encode_words({shares});
}

core::Result<core::Bytes> construct(Frame& f, const Args& args) {
    const core::Address a = args[0].as_address();
    const core::Address b = args[1].as_address();
    if (a == b) return revert("SwapPool: the two tokens must differ");
    const std::uint32_t erc20 = erc20_kind().tag;
    if (!f.host.has_kind(a, erc20) || !f.host.has_kind(b, erc20)) {
        return revert("SwapPool: both tokens must be ERC20 contracts");
    }
    return core::Bytes{};
}

/// The shares minted for depositing (a, b), or std::nullopt on overflow.
std::optional<core::U256> minted_shares(const Pool& p, const core::U256& a, const core::U256& b) {
    if (p.total_shares.is_zero()) {
        core::U256 product;
        if (!core::checked_mul(a, b, product)) return std::nullopt;
        return isqrt(product);
    }
    core::U256 by_a, by_b;
    if (!core::checked_mul(a, p.total_shares, by_a) ||
        !core::checked_mul(b, p.total_shares, by_b)) {
        return std::nullopt;
    }
    return std::min(by_a / p.reserve_a, by_b / p.reserve_b);
}

core::Result<core::Bytes> add_liquidity(Frame& f, const Args& args) {
    const core::U256& a = *args[0].as_uint();
    const core::U256& b = *args[1].as_uint();
    auto p = load_pool(f);
    if (!p) return core::fail(p.error());
    const auto shares = minted_shares(*p, a, b);
    if (!shares) return revert("SwapPool: amounts overflow");
    if (shares->is_zero()) return revert("SwapPool: deposit mints no shares");
    if (auto t = erc20_transfer_from(f, p->token_a, f.caller(), f.self(), a); !t) {
        return core::fail(t.error());
    }
    if (auto t = erc20_transfer_from(f, p->token_b, f.caller(), f.self(), b); !t) {
        return core::fail(t.error());
    }
    if (auto r = save_reserves(f, p->reserve_a + a, p->reserve_b + b); !r) {
        return core::fail(r.error());
    }
    if (auto s = move_shares(f, *p, f.caller(), *shares, false); !s) return core::fail(s.error());
    return log_liquidity(f, "LiquidityAdded(address,uint256,uint256,uint256)", a, b, *shares);
}

core::Result<core::Bytes> remove_liquidity(Frame& f, const Args& args) {
    const core::U256& shares = *args[0].as_uint();
    auto p = load_pool(f);
    if (!p) return core::fail(p.error());
    if (shares.is_zero()) return revert("SwapPool: zero shares");
    if (auto s = move_shares(f, *p, f.caller(), shares, true); !s) return core::fail(s.error());
    core::U256 a, b;
    if (!core::checked_mul(shares, p->reserve_a, a) ||
        !core::checked_mul(shares, p->reserve_b, b)) {
        return revert("SwapPool: amounts overflow");
    }
    a = a / p->total_shares;
    b = b / p->total_shares;
    if (auto r = save_reserves(f, p->reserve_a - a, p->reserve_b - b); !r) {
        return core::fail(r.error());
    }
    if (auto t = erc20_transfer(f, p->token_a, f.caller(), a); !t) return core::fail(t.error());
    if (auto t = erc20_transfer(f, p->token_b, f.caller(), b); !t) return core::fail(t.error());
    auto logged =
        log_liquidity(f, "LiquidityRemoved(address,uint256,uint256,uint256)", a, b, shares);
    if (!logged) return logged;
    return encode_words({a, b});
}

/// reserveOut · amountIn · 997 / (reserveIn · 1000 + amountIn · 997); std::nullopt on overflow.
std::optional<core::U256> amount_out(const core::U256& reserve_in, const core::U256& reserve_out,
                                     const core::U256& amount_in) {
    core::U256 in_fee, numerator, scaled, denominator;
    if (!core::checked_mul(amount_in, 997, in_fee) ||
        !core::checked_mul(reserve_out, in_fee, numerator) ||
        !core::checked_mul(reserve_in, 1000, scaled) ||
        !core::checked_add(scaled, in_fee, denominator)) {
        return std::nullopt;
    }
    return numerator / denominator;
}

core::Result<core::Bytes> swap(Frame& f, const Args& args) {
    const core::Address token_in = args[0].as_address();
    const core::U256& amount_in = *args[1].as_uint();
    auto p = load_pool(f);
    if (!p) return core::fail(p.error());
    const bool a_in = token_in == p->token_a;
    if (!a_in && token_in != p->token_b) return revert("SwapPool: token not in the pool");
    if (amount_in.is_zero()) return revert("SwapPool: zero input");
    const core::U256& reserve_in = a_in ? p->reserve_a : p->reserve_b;
    const core::U256& reserve_out = a_in ? p->reserve_b : p->reserve_a;
    if (reserve_in.is_zero() || reserve_out.is_zero()) return revert("SwapPool: no liquidity");
    const auto out = amount_out(reserve_in, reserve_out, amount_in);
    if (!out) return revert("SwapPool: amounts overflow");
    if (out->is_zero() || *out < *args[2].as_uint()) {
        return revert("SwapPool: output " + out->to_dec() + " below the minimum " + args[2].as_uint()->to_dec());
    }
    const core::Address& token_out = a_in ? p->token_b : p->token_a;
    if (auto t = erc20_transfer_from(f, token_in, f.caller(), f.self(), amount_in); !t) {
        return core::fail(t.error());
    }
    if (auto t = erc20_transfer(f, token_out, f.caller(), *out); !t) return core::fail(t.error());
    const core::U256 new_in = reserve_in + amount_in;
    const core::U256 new_out = reserve_out - *out;
    auto saved = a_in ? save_reserves(f, new_in, new_out) : save_reserves(f, new_out, new_in);
    if (!saved) return core::fail(saved.error());
    auto logged = f.host.emit(f.self(),
                              {core::keccak256("Swap(address,address,uint256,uint256)"),
                               address_word(f.caller()), address_word(token_in)},
                              encode_words({amount_in, *out}));
    if (!logged) return core::fail(logged.error());
    return encode_words({*out});
}

core::Result<core::Bytes> get_reserves(Frame& f, const Args&) {
    auto p = load_pool(f);
    if (!p) return core::fail(p.error());
    return encode_words({p->reserve_a, p->reserve_b});
}

core::Result<core::Bytes> tokens(Frame& f, const Args&) {
    auto ctor = code_args(f, swap_pool_kind().constructor.inputs);
    if (!ctor) return core::fail(ctor.error());
    return encode_words({*(*ctor)[0].as_uint(), *(*ctor)[1].as_uint()});
}

core::Result<core::Bytes> shares_of(Frame& f, const Args& args) {
    auto held = load_number(f, shares_slot(args[0].as_address()));
    if (!held) return core::fail(held.error());
    return encode_words({*held});
}

KindSpec make_kind() {
    KindSpec k;
    k.name = "SwapPool";
    k.tag = kind_tag(k.name);
    k.constructor = *abi::parse_signature("SwapPool(address,address)");
    k.construct = construct;
    k.functions = {
        make_function("addLiquidity(uint256,uint256)", add_liquidity),
        make_function("removeLiquidity(uint256)", remove_liquidity),
        make_function("swap(address,uint256,uint256)", swap),
        make_function("getReserves()", get_reserves),
        make_function("tokens()", tokens),
        make_function("sharesOf(address)", shares_of),
    };
    return k;
}

}  // namespace

const KindSpec& swap_pool_kind() {
    static const KindSpec kind = make_kind();
    return kind;
}

}  // namespace mfd::chain::contracts
