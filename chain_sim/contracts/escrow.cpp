// The Escrow kind (docs/contracts.md): beneficiary and arbiter live in the stored constructor
// arguments; slot 0 holds the status (0 open, 1 released, 2 refunded), slot 1 the depositor
// (the deployer), slot 2 the Ether held. Payouts credit the recipient without calling it.
#include "chain_sim/contracts/gas.hpp"
#include "chain_sim/contracts/kind.hpp"
#include "core/keccak.hpp"

namespace mfd::chain::contracts {
namespace {

namespace abi = core::abi;

constexpr std::uint64_t kOpen = 0;
constexpr std::uint64_t kReleased = 1;
constexpr std::uint64_t kRefunded = 2;
const core::Hash kStatusSlot = slot_at(0);
const core::Hash kDepositorSlot = slot_at(1);
const core::Hash kAmountSlot = slot_at(2);

/// What an escrow knows about itself.
struct Terms {
    core::U256 status;
    core::Address depositor;
    core::Address beneficiary;
    core::Address arbiter;
    core::U256 amount;
};

core::Result<Terms> load_terms(Frame& f) {
    auto ctor = code_args(f, escrow_kind().constructor.inputs);
    if (!ctor) return core::fail(ctor.error());
    auto status = load_number(f, kStatusSlot);
    if (!status) return core::fail(status.error());
    auto depositor = f.host.load(f.self(), kDepositorSlot);
    if (!depositor) return core::fail(depositor.error());
    auto amount = load_number(f, kAmountSlot);
    if (!amount) return core::fail(amount.error());
    return Terms{*status, word_address(*depositor), (*ctor)[0].as_address(),
                 (*ctor)[1].as_address(), *amount};
}

core::Result<core::Bytes> log_amount(Frame& f, std::string_view event, const core::Address& who,
                                     const core::U256& amount) {
    auto logged =
        f.host.emit(f.self(), {core::keccak256(event), address_word(who)}, encode_words({amount}));
    if (!logged) return core::fail(logged.error());
    return core::Bytes{};
}

core::Result<core::Bytes> construct(Frame& f, const Args& args) {
    if (args[0].as_address().is_zero() || args[1].as_address().is_zero()) {
        return revert("Escrow: beneficiary and arbiter must be non-zero");
    }
    auto depositor = f.host.store(f.self(), kDepositorSlot, address_word(f.caller()));
    if (!depositor) return core::fail(depositor.error());
    if (f.message.value.is_zero()) return core::Bytes{};
    if (auto a = store_number(f, kAmountSlot, f.message.value); !a) return core::fail(a.error());
    return log_amount(f, "Deposited(address,uint256)", f.caller(), f.message.value);
}

core::Result<core::Bytes> deposit(Frame& f, const Args&) {
    auto terms = load_terms(f);
    if (!terms) return core::fail(terms.error());
    if (f.caller() != terms->depositor) return revert("Escrow: only the depositor deposits");
    if (terms->status != kOpen) return revert("Escrow: not open");
    auto stored = store_number(f, kAmountSlot, terms->amount + f.message.value);
    if (!stored) return core::fail(stored.error());
    return log_amount(f, "Deposited(address,uint256)", f.caller(), f.message.value);
}

/// Pays the deposit to `to`, closing the escrow with `status`.
core::Result<core::Bytes> pay_out(Frame& f, const Terms& terms, std::uint64_t status,
                                  const core::Address& to, std::string_view event) {
    if (auto s = store_number(f, kStatusSlot, status); !s) return core::fail(s.error());
    if (auto a = store_number(f, kAmountSlot, 0); !a) return core::fail(a.error());
    if (!terms.amount.is_zero()) {
        if (auto paid = f.host.charge(kValueTransferGas); !paid) return core::fail(paid.error());
        if (auto moved = f.host.move_value(f.self(), to, terms.amount); !moved) {
            return core::fail(moved.error());
        }
    }
    return log_amount(f, event, to, terms.amount);
}

core::Result<core::Bytes> release(Frame& f, const Args&) {
    auto terms = load_terms(f);
    if (!terms) return core::fail(terms.error());
    if (f.caller() != terms->depositor && f.caller() != terms->arbiter) {
        return revert("Escrow: only the depositor or the arbiter releases");
    }
    if (terms->status != kOpen) return revert("Escrow: not open");
    return pay_out(f, *terms, kReleased, terms->beneficiary, "Released(address,uint256)");
}

core::Result<core::Bytes> refund(Frame& f, const Args&) {
    auto terms = load_terms(f);
    if (!terms) return core::fail(terms.error());
    if (f.caller() != terms->arbiter && f.caller() != terms->beneficiary) {
        return revert("Escrow: only the arbiter or the beneficiary refunds");
    }
    if (terms->status != kOpen) return revert("Escrow: not open");
    return pay_out(f, *terms, kRefunded, terms->depositor, "Refunded(address,uint256)");
}

core::Result<core::Bytes> state(Frame& f, const Args&) {
    auto t = load_terms(f);
    if (!t) return core::fail(t.error());
    return encode_words({t->status, *core::U256::from_be(t->depositor.view()),
                         *core::U256::from_be(t->beneficiary.view()),
                         *core::U256::from_be(t->arbiter.view()), t->amount});
}

KindSpec make_kind() {
    KindSpec k;
    k.name = "Escrow";
    k.tag = kind_tag(k.name);
    k.holds_ether = true;
    k.constructor = *abi::parse_signature("Escrow(address,address)");
    k.construct = construct;
    k.functions = {
        make_function("deposit()", deposit, true),
        make_function("release()", release),
        make_function("refund()", refund),
        make_function("state()", state),
    };
    return k;
}

}  // namespace

const KindSpec& escrow_kind() {
    static const KindSpec kind = make_kind();
    return kind;
}

}  // namespace mfd::chain::contracts
