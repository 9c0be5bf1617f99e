// An "old" plugin for the compatibility test: the real libfraud_plugin.so's table cut to ABI
// version 1's first table (struct_size FP_API_V1_SIZE, no *_with_state hooks), as a plugin
// built before they were appended would serve it.
#include <dlfcn.h>

#include <cstdint>

#include "plugin/fraud_plugin.h"

namespace {

const fp_api* first_table() {
    static const fp_api table = [] {
        fp_api t{};
        void* handle = ::dlopen(MFD_REAL_PLUGIN, RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) return t;
        const auto entry = reinterpret_cast<fp_get_api_fn>(::dlsym(handle, FP_ENTRY_SYMBOL));
        const fp_api* real = entry == nullptr ? nullptr : entry(FP_ABI_VERSION);
        if (real == nullptr) return t;
        t = *real;
        t.struct_size = FP_API_V1_SIZE;
        t.check_tx_with_state = nullptr;
        t.score_batch_with_state = nullptr;
        t.prepare_proposal_with_state = nullptr;
        t.extend_vote_with_state = nullptr;
        t.report_refusal = nullptr;
        return t;
    }();
    return table.create == nullptr ? nullptr : &table;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const fp_api* fraud_plugin_api(
    std::uint32_t host_abi_version) {
    const fp_api* t = first_table();
    if (t == nullptr) return nullptr;
    return host_abi_version == FP_ABI_PROBE || host_abi_version == t->abi_version ? t : nullptr;
}
