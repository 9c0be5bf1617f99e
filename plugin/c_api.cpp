// The C ABI of fraud_plugin.h over FraudService: argument checks, exception barriers, the
// thread's last error, and the one exported symbol.
#include <cstring>
#include <string>
#include <vector>

#include "plugin/fraud_plugin.h"
#include "plugin/fraud_service.hpp"

struct fp_plugin {
    std::unique_ptr<mfd::plugin::FraudService> service;
};

namespace mfd::plugin {
namespace {

thread_local std::string t_last_error;

/// Copies `msg` into out[0..cap) NUL-terminated (truncated); nothing when out is NULL or cap 0.
void copy_text(std::string_view msg, char* out, std::size_t cap) noexcept {
    if (out == nullptr || cap == 0) return;
    const std::size_t n = std::min(msg.size(), cap - 1);
    std::memcpy(out, msg.data(), n);
    out[n] = '\0';
}

fp_status failed(fp_status status, std::string message) noexcept {
    try {
        t_last_error = std::move(message);
    } catch (...) {
        t_last_error.clear();
    }
    return status;
}

/// Runs `f` (returning fp_status) and turns any exception into FP_ERR_INTERNAL.
template <class F>
fp_status guarded(const char* what, F&& f) noexcept {
    try {
        return f();
    } catch (const std::exception& e) {
        return failed(FP_ERR_INTERNAL, std::string(what) + ": " + e.what());
    } catch (...) {
        return failed(FP_ERR_INTERNAL, std::string(what) + ": unknown exception");
    }
}

fp_status bad_argument(const char* what) {
    return failed(FP_ERR_INVALID_ARGUMENT, std::string(what) + ": a required pointer is NULL");
}

/// Views of `n` host buffers; false when one has NULL data and a non-zero length.
bool views_of(const fp_bytes* raws, std::size_t n, std::vector<core::ByteView>& out) {
    out.clear();
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (raws[i].data == nullptr && raws[i].len != 0) return false;
        out.emplace_back(raws[i].data, raws[i].data == nullptr ? 0 : raws[i].len);
    }
    return true;
}

fraud::AccountState account_of(std::uint64_t nonce, const std::uint8_t (&balance)[32]) {
    fraud::AccountState a;
    a.nonce = nonce;
    a.balance = *core::U256::from_be(core::ByteView(balance, 32));
    return a;
}

fraud::TxContext context_of(const fp_tx_state* state) {
    fraud::TxContext c;
    if (state == nullptr) return c;
    if (state->known & FP_STATE_SENDER)
        c.sender = account_of(state->sender_nonce, state->sender_balance);
    if (state->known & FP_STATE_RECIPIENT) {
        c.recipient = account_of(state->recipient_nonce, state->recipient_balance);
    }
    return c;
}

/// One context per transaction from `states` (NULL: none at all).
std::vector<fraud::TxContext> contexts_of(const fp_tx_state* states, std::size_t n) {
    std::vector<fraud::TxContext> out;
    if (states == nullptr) return out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out.push_back(context_of(&states[i]));
    return out;
}

fp_status create(const char* config_json, fp_plugin** out, char* err, std::size_t err_len) {
    if (out != nullptr) *out = nullptr;
    const fp_status s = guarded("create", [&]() -> fp_status {
        if (config_json == nullptr || out == nullptr) return bad_argument("create");
        auto config = parse_config(config_json);
        if (!config) return failed(FP_ERR_CONFIG, config.error().message);
        fp_status stage = FP_ERR_INTERNAL;
        auto service = FraudService::create(std::move(*config), stage);
        if (!service) return failed(stage, service.error().to_string());
        *out = new fp_plugin{std::move(*service)};
        return FP_OK;
    });
    copy_text(s == FP_OK ? std::string_view() : std::string_view(t_last_error), err, err_len);
    return s;
}

void destroy(fp_plugin* plugin) {
    try {
        delete plugin;
    } catch (...) {
        failed(FP_ERR_INTERNAL, "destroy: unknown exception");
    }
}

fp_status check_tx_with_state(fp_plugin* plugin, fp_bytes raw, const fp_tx_state* state,
                              fp_check_result* out) {
    return guarded("check_tx", [&]() -> fp_status {
        if (plugin == nullptr || out == nullptr || (raw.data == nullptr && raw.len != 0)) {
            return bad_argument("check_tx");
        }
        plugin->service->check_tx(core::ByteView(raw.data, raw.data ? raw.len : 0),
                                  context_of(state), *out);
        return FP_OK;
    });
}

fp_status check_tx(fp_plugin* plugin, fp_bytes raw, fp_check_result* out) {
    return check_tx_with_state(plugin, raw, nullptr, out);
}

fp_status score_batch_with_state(fp_plugin* plugin, const fp_bytes* raws, const fp_tx_state* states,
                                 std::size_t n, fp_score* out) {
    return guarded("score_batch", [&]() -> fp_status {
        std::vector<core::ByteView> views;
        if (plugin == nullptr || (n > 0 && (raws == nullptr || out == nullptr)) ||
            !views_of(raws, n, views)) {
            return bad_argument("score_batch");
        }
        plugin->service->score_batch(views, contexts_of(states, n), std::span(out, n));
        return FP_OK;
    });
}

fp_status score_batch(fp_plugin* plugin, const fp_bytes* raws, std::size_t n, fp_score* out) {
    return score_batch_with_state(plugin, raws, nullptr, n, out);
}

fp_status prepare_proposal_with_state(fp_plugin* plugin, std::uint64_t, const fp_bytes* raws,
                                      const fp_tx_state* states, std::size_t n,
                                      std::uint32_t* order, std::uint8_t* keep) {
    return guarded("prepare_proposal", [&]() -> fp_status {
        std::vector<core::ByteView> views;
        if (plugin == nullptr ||
            (n > 0 && (raws == nullptr || order == nullptr || keep == nullptr)) ||
            !views_of(raws, n, views)) {
            return bad_argument("prepare_proposal");
        }
        if (n > UINT32_MAX) return failed(FP_ERR_INVALID_ARGUMENT, "prepare_proposal: n too big");
        plugin->service->prepare_proposal(views, contexts_of(states, n), std::span(order, n),
                                          std::span(keep, n));
        return FP_OK;
    });
}

fp_status prepare_proposal(fp_plugin* plugin, std::uint64_t height, const fp_bytes* raws,
                           std::size_t n, std::uint32_t* order, std::uint8_t* keep) {
    return prepare_proposal_with_state(plugin, height, raws, nullptr, n, order, keep);
}

fp_status process_proposal(fp_plugin* plugin, std::uint64_t, const fp_bytes* raws, std::size_t n,
                           fp_verdict* out) {
    return guarded("process_proposal", [&]() -> fp_status {
        std::vector<core::ByteView> views;
        if (plugin == nullptr || out == nullptr || (n > 0 && raws == nullptr) ||
            !views_of(raws, n, views)) {
            return bad_argument("process_proposal");
        }
        *out = plugin->service->process_proposal(views);
        return FP_OK;
    });
}

fp_status extend_vote_with_state(fp_plugin* plugin, std::uint64_t, const fp_bytes* raws,
                                 const fp_tx_state* states, std::size_t n, fp_flag* flags,
                                 std::size_t cap, std::size_t* n_out) {
    return guarded("extend_vote", [&]() -> fp_status {
        std::vector<core::ByteView> views;
        if (plugin == nullptr || n_out == nullptr || (n > 0 && raws == nullptr) ||
            (cap > 0 && flags == nullptr) || !views_of(raws, n, views)) {
            return bad_argument("extend_vote");
        }
        const auto got = plugin->service->extend_vote(views, contexts_of(states, n), cap);
        std::copy(got.begin(), got.end(), flags);
        *n_out = got.size();
        return FP_OK;
    });
}

fp_status extend_vote(fp_plugin* plugin, std::uint64_t height, const fp_bytes* raws, std::size_t n,
                      fp_flag* flags, std::size_t cap, std::size_t* n_out) {
    return extend_vote_with_state(plugin, height, raws, nullptr, n, flags, cap, n_out);
}

fp_status verify_vote_extension(fp_plugin* plugin, fp_address, std::uint64_t height,
                                const fp_flag* flags, std::size_t n, fp_verdict* out) {
    return guarded("verify_vote_extension", [&]() -> fp_status {
        if (plugin == nullptr || out == nullptr || (n > 0 && flags == nullptr)) {
            return bad_argument("verify_vote_extension");
        }
        *out = plugin->service->verify_vote_extension(height, std::span(flags, n));
        return FP_OK;
    });
}

fp_status finalize_block(fp_plugin* plugin, const fp_block* block) {
    return guarded("finalize_block", [&]() -> fp_status {
        if (plugin == nullptr || block == nullptr ||
            (block->n_executed > 0 && block->executed == nullptr) ||
            (block->n_flags > 0 && block->flags == nullptr)) {
            return bad_argument("finalize_block");
        }
        for (std::size_t i = 0; i < block->n_executed; ++i) {
            if (block->executed[i].data == nullptr && block->executed[i].len != 0) {
                return bad_argument("finalize_block");
            }
        }
        auto r = plugin->service->finalize_block(*block);
        if (r) return FP_OK;
        const bool arg = r.error().code == core::Errc::kInvalidArgument;
        return failed(arg ? FP_ERR_INVALID_ARGUMENT : FP_ERR_STORAGE, r.error().to_string());
    });
}

fp_status report_refusal(fp_plugin* plugin, fp_bytes raw, std::uint32_t reason) {
    return guarded("report_refusal", [&]() -> fp_status {
        if (plugin == nullptr || (raw.data == nullptr && raw.len != 0)) {
            return bad_argument("report_refusal");
        }
        auto r = plugin->service->report_refusal(core::ByteView(raw.data, raw.data ? raw.len : 0),
                                                 reason);
        if (r) return FP_OK;
        const core::Errc code = r.error().code;
        const fp_status status = code == core::Errc::kInvalidArgument ? FP_ERR_INVALID_ARGUMENT
                                 : code == core::Errc::kIo || code == core::Errc::kCorruption
                                     ? FP_ERR_STORAGE
                                     : FP_ERR_DECODE;
        return failed(status, "report_refusal: " + r.error().to_string());
    });
}

fp_status query(fp_plugin* plugin, const char* method, const char* params_json, char* out,
                std::size_t cap, std::size_t* needed) {
    return guarded("query", [&]() -> fp_status {
        if (plugin == nullptr || method == nullptr || (cap > 0 && out == nullptr)) {
            return bad_argument("query");
        }
        const auto answer =
            plugin->service->query(method, params_json == nullptr ? "" : params_json);
        if (needed != nullptr) *needed = answer.json.size() + 1;
        if (answer.json.size() + 1 > cap) {
            return failed(FP_ERR_BUFFER_TOO_SMALL,
                          "query: the answer needs " + std::to_string(answer.json.size() + 1) +
                              " bytes, the buffer has " + std::to_string(cap));
        }
        copy_text(answer.json, out, cap);
        return answer.ok ? FP_OK : failed(FP_ERR_RPC, "query: " + answer.json);
    });
}

fp_status reload_model(fp_plugin* plugin, const char* path, char* err, std::size_t err_len) {
    const fp_status s = guarded("reload_model", [&]() -> fp_status {
        if (plugin == nullptr || path == nullptr) return bad_argument("reload_model");
        auto r = plugin->service->reload_model(path);
        return r ? FP_OK : failed(FP_ERR_MODEL, r.error().to_string());
    });
    copy_text(s == FP_OK ? std::string_view() : std::string_view(t_last_error), err, err_len);
    return s;
}

fp_status rpc_endpoint(fp_plugin* plugin, char* out, std::size_t cap) {
    return guarded("rpc_endpoint", [&]() -> fp_status {
        if (plugin == nullptr || out == nullptr || cap == 0) return bad_argument("rpc_endpoint");
        const std::string endpoint = plugin->service->rpc_endpoint();
        if (endpoint.size() + 1 > cap) {
            return failed(FP_ERR_BUFFER_TOO_SMALL, "rpc_endpoint: buffer too small");
        }
        copy_text(endpoint, out, cap);
        return FP_OK;
    });
}

fp_status metrics(fp_plugin* plugin, char* out, std::size_t cap, std::size_t* needed) {
    return guarded("metrics", [&]() -> fp_status {
        if (plugin == nullptr || (cap > 0 && out == nullptr)) return bad_argument("metrics");
        const std::string text = plugin->service->metrics_text();
        if (needed != nullptr) *needed = text.size() + 1;
        if (text.size() + 1 > cap) {
            return failed(FP_ERR_BUFFER_TOO_SMALL, "metrics: buffer too small");
        }
        copy_text(text, out, cap);
        return FP_OK;
    });
}

std::size_t last_error(char* out, std::size_t cap) {
    copy_text(t_last_error, out, cap);
    return t_last_error.size();
}

const fp_api kApi = {
    FP_ABI_VERSION,
    sizeof(fp_api),
    "moe-fraud",
    MFD_PLUGIN_VERSION,
    create,
    destroy,
    check_tx,
    score_batch,
    prepare_proposal,
    process_proposal,
    extend_vote,
    verify_vote_extension,
    finalize_block,
    query,
    reload_model,
    rpc_endpoint,
    last_error,
    metrics,
    check_tx_with_state,
    score_batch_with_state,
    prepare_proposal_with_state,
    extend_vote_with_state,
    report_refusal,
};

}  // namespace
}  // namespace mfd::plugin

extern "C" __attribute__((visibility("default"))) const fp_api* fraud_plugin_api(
    std::uint32_t host_abi_version) {
    if (host_abi_version == FP_ABI_PROBE || host_abi_version == FP_ABI_VERSION) {
        return &mfd::plugin::kApi;
    }
    return nullptr;
}
