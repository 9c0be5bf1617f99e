// Fuzzes the consensus message decoder: whatever decodes must re-encode to the same bytes
// (the format is canonical), and must not crash an engine that receives it. The engine is a
// fresh observer of a four-validator chain whose keys the seed corpus (fuzz/corpus/
// fuzz_consensus_msg) was signed with, so valid-looking messages reach the deep checks.
#include <cstddef>
#include <cstdint>
#include <string>

#include "consensus/engine.hpp"

namespace {

using namespace mfd;

class NullApp final : public consensus::Application {
public:
    consensus::Verdict check_tx(core::ByteView) override { return consensus::Verdict::kAccept; }
    consensus::ProposalContent prepare_proposal(const consensus::ProposalContext&) override {
        return {};
    }
    consensus::Verdict process_proposal(const consensus::Block&) override {
        return consensus::Verdict::kAccept;
    }
    std::vector<consensus::FraudFlag> extend_vote(const consensus::Block&) override { return {}; }
    consensus::Verdict verify_vote_extension(const core::Address&, consensus::Height,
                                             std::span<const consensus::FraudFlag>) override {
        return consensus::Verdict::kAccept;
    }
    consensus::FinalizeResult finalize_block(const consensus::FinalizedBlock&) override {
        return {};
    }
};

const std::vector<consensus::ValidatorUpdate>& genesis() {
    static const std::vector<consensus::ValidatorUpdate> vals = [] {
        std::vector<consensus::ValidatorUpdate> out;
        for (int i = 0; i < 4; ++i) {
            const auto key =
                core::PrivateKey::derive(core::as_bytes("fuzz-validator-" + std::to_string(i)));
            out.push_back({key.address(), key.public_key(), 10});
        }
        return out;
    }();
    return vals;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const core::ByteView input(data, size);
    auto message = consensus::decode(input);
    if (!message) return 0;
    const core::Bytes again = consensus::encode(*message);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();

    NullApp app;
    consensus::DirectVerifier verifier;
    auto engine = consensus::Engine::create({consensus::ConsensusParams{}, genesis(), std::nullopt},
                                            app, verifier);
    if (!engine) __builtin_trap();
    consensus::Effects fx;
    (*engine)->start(fx);
    (void)(*engine)->on_message(*message, fx);
    return 0;
}
