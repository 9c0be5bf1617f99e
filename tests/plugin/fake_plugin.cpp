// Stand-in plugin libraries for the loader tests, built four ways: FAKE_ABI_VERSION (the ABI
// version its table claims: another one, or ours with FAKE_SHORT_TABLE, a table shorter than
// the host's, or without either, a full-size table whose functions are all NULL) and
// FAKE_NO_ENTRY (a library without the entry symbol).
#include <cstdint>

#include "plugin/fraud_plugin.h"

#ifndef FAKE_NO_ENTRY
namespace {

fp_api make_table() {
    fp_api api{};
    api.abi_version = FAKE_ABI_VERSION;
#ifdef FAKE_SHORT_TABLE
    api.struct_size = 16;
#else
    api.struct_size = sizeof(fp_api);
#endif
    api.name = "fake";
    api.version = "0.0.0";
    return api;
}

const fp_api kTable = make_table();

}  // namespace

extern "C" __attribute__((visibility("default"))) const fp_api* fraud_plugin_api(
    std::uint32_t host_abi_version) {
    return host_abi_version == FP_ABI_PROBE || host_abi_version == kTable.abi_version ? &kTable
                                                                                      : nullptr;
}
#else
extern "C" __attribute__((visibility("default"))) int not_the_entry() {
    return 1;
}
#endif
