#include "plugin/loader/plugin_instance.hpp"

#include <array>
#include <cstring>

namespace mfd::plugin {
namespace {

std::vector<fp_bytes> to_fp(std::span<const core::ByteView> raws) {
    std::vector<fp_bytes> out;
    out.reserve(raws.size());
    for (const auto& r : raws) out.push_back({r.data(), r.size()});
    return out;
}

fp_hash to_fp(const core::Hash& h) {
    fp_hash out;
    std::memcpy(out.bytes, h.data(), sizeof(out.bytes));
    return out;
}

core::Hash from_fp(const fp_hash& h) {
    core::Hash out;
    std::memcpy(out.data(), h.bytes, sizeof(h.bytes));
    return out;
}

TxScore from_fp(const fp_score& s) {
    return {from_fp(s.tx_hash),
            s.probability,
            s.score_bp,
            s.flagged != 0,
            s.degraded != 0,
            s.latency_us,
            static_cast<fp_status>(s.status)};
}

fp_tx_state to_fp(const TxState& s) {
    fp_tx_state out{};
    if (s.sender) {
        out.known |= FP_STATE_SENDER;
        out.sender_nonce = s.sender->nonce;
        std::memcpy(out.sender_balance, s.sender->balance.to_be32().data(), 32);
    }
    if (s.recipient) {
        out.known |= FP_STATE_RECIPIENT;
        out.recipient_nonce = s.recipient->nonce;
        std::memcpy(out.recipient_balance, s.recipient->balance.to_be32().data(), 32);
    }
    return out;
}

std::vector<fp_tx_state> to_fp(std::span<const TxState> states) {
    std::vector<fp_tx_state> out;
    out.reserve(states.size());
    for (const auto& s : states) out.push_back(to_fp(s));
    return out;
}

Verdict from_fp(fp_verdict v) {
    return v == FP_ACCEPT ? Verdict::kAccept : Verdict::kReject;
}

core::Errc errc_of(fp_status s) {
    switch (s) {
    case FP_ERR_INVALID_ARGUMENT:
    case FP_ERR_CONFIG:
    case FP_ERR_DECODE:
        return core::Errc::kInvalidArgument;
    case FP_ERR_MODEL:
        return core::Errc::kCorruption;
    case FP_ERR_TIMEOUT:
        return core::Errc::kTimeout;
    case FP_ERR_BUFFER_TOO_SMALL:
        return core::Errc::kLimitExceeded;
    case FP_ERR_NOT_FOUND:
        return core::Errc::kNotFound;
    case FP_ERR_STORAGE:
        return core::Errc::kIo;
    default:
        return core::Errc::kInternal;
    }
}

}  // namespace

std::string_view status_name(fp_status status) noexcept {
    static constexpr std::array<std::string_view, 11> kNames = {"FP_OK",
                                                                "FP_ERR_INVALID_ARGUMENT",
                                                                "FP_ERR_CONFIG",
                                                                "FP_ERR_MODEL",
                                                                "FP_ERR_DECODE",
                                                                "FP_ERR_TIMEOUT",
                                                                "FP_ERR_BUFFER_TOO_SMALL",
                                                                "FP_ERR_NOT_FOUND",
                                                                "FP_ERR_STORAGE",
                                                                "FP_ERR_INTERNAL",
                                                                "FP_ERR_RPC"};
    const auto i = static_cast<std::size_t>(status);
    return i < kNames.size() ? kNames[i] : "FP_ERR_UNKNOWN";
}

core::Result<std::unique_ptr<PluginInstance>> PluginInstance::create(
    std::shared_ptr<const PluginLibrary> library, std::string_view config_json) {
    const std::string config(config_json);
    std::array<char, 1024> err{};
    fp_plugin* plugin = nullptr;
    const fp_status s = library->api().create(config.c_str(), &plugin, err.data(), err.size());
    if (s != FP_OK || plugin == nullptr) {
        return core::fail(
            errc_of(s), "create: " + std::string(status_name(s)) + ": " + std::string(err.data()));
    }
    return std::unique_ptr<PluginInstance>(new PluginInstance(std::move(library), plugin));
}

PluginInstance::~PluginInstance() {
    api().destroy(plugin_);
}

core::Unexpected PluginInstance::mismatched(std::span<const TxState> states,
                                            std::span<const core::ByteView> raws) {
    return core::fail(core::Errc::kInvalidArgument, std::to_string(states.size()) + " states for " +
                                                        std::to_string(raws.size()) +
                                                        " transactions");
}

std::vector<fp_tx_state> PluginInstance::with_states(std::span<const TxState> states,
                                                     std::size_t n) const {
    if (states.size() != n || n == 0 || !library_->has_state_hooks()) return {};
    return to_fp(states);
}

core::Unexpected PluginInstance::error(std::string_view call, fp_status status) const {
    std::array<char, 1024> message{};
    api().last_error(message.data(), message.size());
    return core::fail(errc_of(status), std::string(call) + ": " + std::string(status_name(status)) +
                                           ": " + std::string(message.data()));
}

core::Result<CheckResult> PluginInstance::check_tx(core::ByteView raw, const TxState* state) {
    fp_check_result r{};
    const fp_bytes bytes{raw.data(), raw.size()};
    fp_status s = FP_OK;
    if (state != nullptr && library_->has_state_hooks()) {
        const fp_tx_state st = to_fp(*state);
        s = api().check_tx_with_state(plugin_, bytes, &st, &r);
    } else {
        s = api().check_tx(plugin_, bytes, &r);
    }
    if (s != FP_OK) return error("check_tx", s);
    return CheckResult{from_fp(r.verdict), from_fp(r.score),
                       std::string(r.reason, strnlen(r.reason, sizeof(r.reason)))};
}

core::Result<void> PluginInstance::report_refusal(core::ByteView raw, Refusal why) {
    if (!library_->has_refusal_hook()) return {};
    const fp_status s = api().report_refusal(plugin_, fp_bytes{raw.data(), raw.size()},
                                             static_cast<std::uint32_t>(why));
    if (s != FP_OK) return error("report_refusal", s);
    return {};
}

core::Result<std::vector<TxScore>> PluginInstance::score_batch(std::span<const core::ByteView> raws,
                                                               std::span<const TxState> states) {
    const auto in = to_fp(raws);
    std::vector<fp_score> out(raws.size());
    if (!states.empty() && states.size() != raws.size()) return mismatched(states, raws);
    const auto st = with_states(states, raws.size());
    const fp_status s = st.empty() ? api().score_batch(plugin_, in.data(), in.size(), out.data())
                                   : api().score_batch_with_state(plugin_, in.data(), st.data(),
                                                                  in.size(), out.data());
    if (s != FP_OK) return error("score_batch", s);
    std::vector<TxScore> scores;
    scores.reserve(out.size());
    for (const auto& x : out) scores.push_back(from_fp(x));
    return scores;
}

core::Result<ProposalOrder> PluginInstance::prepare_proposal(std::uint64_t height,
                                                             std::span<const core::ByteView> raws,
                                                             std::span<const TxState> states) {
    const auto in = to_fp(raws);
    ProposalOrder p{std::vector<std::uint32_t>(raws.size()),
                    std::vector<std::uint8_t>(raws.size())};
    if (!states.empty() && states.size() != raws.size()) return mismatched(states, raws);
    const auto st = with_states(states, raws.size());
    const auto s =
        st.empty() ? api().prepare_proposal(plugin_, height, in.data(), in.size(), p.order.data(),
                                            p.keep.data())
                   : api().prepare_proposal_with_state(plugin_, height, in.data(), st.data(),
                                                       in.size(), p.order.data(), p.keep.data());
    if (s != FP_OK) return error("prepare_proposal", s);
    return p;
}

core::Result<Verdict> PluginInstance::process_proposal(std::uint64_t height,
                                                       std::span<const core::ByteView> raws) {
    const auto in = to_fp(raws);
    fp_verdict v = FP_REJECT;
    if (const auto s = api().process_proposal(plugin_, height, in.data(), in.size(), &v);
        s != FP_OK) {
        return error("process_proposal", s);
    }
    return from_fp(v);
}

core::Result<std::vector<Flag>> PluginInstance::extend_vote(std::uint64_t height,
                                                            std::span<const core::ByteView> raws,
                                                            std::size_t cap,
                                                            std::span<const TxState> states) {
    const auto in = to_fp(raws);
    std::vector<fp_flag> out(cap);
    std::size_t n = 0;
    if (!states.empty() && states.size() != raws.size()) return mismatched(states, raws);
    const auto st = with_states(states, raws.size());
    const auto s =
        st.empty() ? api().extend_vote(plugin_, height, in.data(), in.size(), out.data(), cap, &n)
                   : api().extend_vote_with_state(plugin_, height, in.data(), st.data(), in.size(),
                                                  out.data(), cap, &n);
    if (s != FP_OK) return error("extend_vote", s);
    std::vector<Flag> flags;
    for (std::size_t i = 0; i < std::min(n, cap); ++i) {
        flags.push_back({from_fp(out[i].tx_hash), out[i].score});
    }
    return flags;
}

core::Result<Verdict> PluginInstance::verify_vote_extension(const core::Address& validator,
                                                            std::uint64_t height,
                                                            std::span<const Flag> flags) {
    std::vector<fp_flag> in;
    in.reserve(flags.size());
    for (const auto& f : flags) in.push_back({to_fp(f.tx), f.score});
    fp_address who;
    std::memcpy(who.bytes, validator.data(), sizeof(who.bytes));
    fp_verdict v = FP_REJECT;
    if (const auto s = api().verify_vote_extension(plugin_, who, height, in.data(), in.size(), &v);
        s != FP_OK) {
        return error("verify_vote_extension", s);
    }
    return from_fp(v);
}

core::Result<void> PluginInstance::finalize_block(const BlockInput& block) {
    const auto executed = to_fp(block.executed);
    std::vector<fp_committed_flag> flags;
    flags.reserve(block.flags.size());
    for (const auto& f : block.flags) {
        flags.push_back({to_fp(f.tx), f.flagged_power, f.total_power, f.mean_score,
                         static_cast<std::uint8_t>(f.excluded ? 1 : 0)});
    }
    const fp_block b{block.height,    to_fp(block.hash), block.time_ms, executed.data(),
                     executed.size(), flags.data(),      flags.size()};
    if (const auto s = api().finalize_block(plugin_, &b); s != FP_OK) {
        return error("finalize_block", s);
    }
    return {};
}

core::Result<QueryResult> PluginInstance::query(std::string_view method,
                                                std::string_view params_json) {
    const std::string m(method);
    const std::string p(params_json);
    std::string out(4096, '\0');
    for (int attempt = 0; attempt < 4; ++attempt) {
        std::size_t needed = 0;
        const auto s = api().query(plugin_, m.c_str(), p.empty() ? nullptr : p.c_str(), out.data(),
                                   out.size(), &needed);
        if (s == FP_ERR_BUFFER_TOO_SMALL && needed > out.size()) {
            out.assign(needed, '\0');
            continue;
        }
        if (s != FP_OK && s != FP_ERR_RPC) return error("query", s);
        out.resize(strnlen(out.data(), out.size()));
        return QueryResult{s == FP_OK, std::move(out)};
    }
    return core::fail(core::Errc::kInternal, "query: the answer kept growing");
}

core::Result<std::string> PluginInstance::metrics_text() {
    std::string out(16 * 1024, '\0');
    for (int attempt = 0; attempt < 4; ++attempt) {
        std::size_t needed = 0;
        const auto s = api().metrics(plugin_, out.data(), out.size(), &needed);
        if (s == FP_ERR_BUFFER_TOO_SMALL && needed > out.size()) {
            out.assign(needed + 4096, '\0');
            continue;
        }
        if (s != FP_OK) return error("metrics", s);
        out.resize(strnlen(out.data(), out.size()));
        return out;
    }
    return core::fail(core::Errc::kInternal, "metrics: the text kept growing");
}

core::Result<void> PluginInstance::reload_model(const std::filesystem::path& path) {
    std::array<char, 1024> err{};
    const auto s = api().reload_model(plugin_, path.c_str(), err.data(), err.size());
    if (s != FP_OK) {
        return core::fail(errc_of(s), "reload_model: " + std::string(status_name(s)) + ": " +
                                          std::string(err.data()));
    }
    return {};
}

core::Result<std::string> PluginInstance::rpc_endpoint() {
    std::array<char, 256> out{};
    if (const auto s = api().rpc_endpoint(plugin_, out.data(), out.size()); s != FP_OK) {
        return error("rpc_endpoint", s);
    }
    return std::string(out.data());
}

}  // namespace mfd::plugin
