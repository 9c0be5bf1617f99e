#include "chain_sim/contracts/frame.hpp"

#include "core/keccak.hpp"

namespace mfd::chain::contracts {

core::Unexpected revert(std::string message) {
    return core::fail(core::Errc::kRevert, std::move(message));
}

core::U256 number(const core::Hash& w) noexcept {
    return *core::U256::from_be(w.view());
}

core::Hash address_word(const core::Address& a) noexcept {
    return core::Hash::right_aligned(a.view());
}

core::Address word_address(const core::Hash& w) noexcept {
    return core::Address::right_aligned(w.view());
}

core::Hash mapping_slot(const core::Hash& key, const core::Hash& base) noexcept {
    core::Keccak256 h;
    h.update(key.view());
    h.update(base.view());
    return h.finish();
}

core::Hash offset_slot(const core::Hash& base, std::uint64_t offset) noexcept {
    return (number(base) + core::U256(offset)).to_be32();
}

core::Bytes encode_words(std::initializer_list<core::U256> words) {
    core::Bytes out;
    out.reserve(words.size() * 32);
    for (const auto& w : words) core::append(out, w.to_be32().view());
    return out;
}

core::Result<core::U256> load_number(Frame& f, const core::Hash& slot) {
    auto w = f.host.load(f.self(), slot);
    if (!w) return core::fail(w.error());
    return number(*w);
}

core::Result<void> store_number(Frame& f, const core::Hash& slot, const core::U256& v) {
    return f.host.store(f.self(), slot, v.to_be32());
}

core::Result<Args> code_args(const Frame& f, const std::vector<core::abi::Type>& types) {
    auto args = core::abi::decode(types, f.code_args);
    if (!args) {
        return core::fail(core::Errc::kInternal, "stored contract record of " + f.self().hex() +
                                                     ": " + args.error().message);
    }
    return args;
}

}  // namespace mfd::chain::contracts
