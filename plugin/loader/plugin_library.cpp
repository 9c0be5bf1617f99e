#include "plugin/loader/plugin_library.hpp"

#include <dlfcn.h>

#include <array>
#include <string>

namespace mfd::plugin {
namespace {

std::string dl_error() {
    const char* e = ::dlerror();
    return e == nullptr ? "unknown dlopen error" : e;
}

/// True when every function pointer of the table (as far as its struct_size covers) is set.
bool complete(const fp_api& a) noexcept {
    if (a.struct_size >= FP_API_STATE_SIZE &&
        (a.check_tx_with_state == nullptr || a.score_batch_with_state == nullptr ||
         a.prepare_proposal_with_state == nullptr || a.extend_vote_with_state == nullptr)) {
        return false;
    }
    if (a.struct_size >= FP_API_REFUSAL_SIZE && a.report_refusal == nullptr) return false;
    const std::array<bool, 15> set = {a.create != nullptr,
                                      a.destroy != nullptr,
                                      a.check_tx != nullptr,
                                      a.score_batch != nullptr,
                                      a.prepare_proposal != nullptr,
                                      a.process_proposal != nullptr,
                                      a.extend_vote != nullptr,
                                      a.verify_vote_extension != nullptr,
                                      a.finalize_block != nullptr,
                                      a.query != nullptr,
                                      a.reload_model != nullptr,
                                      a.rpc_endpoint != nullptr,
                                      a.last_error != nullptr,
                                      a.metrics != nullptr,
                                      a.name != nullptr && a.version != nullptr};
    for (bool b : set) {
        if (!b) return false;
    }
    return true;
}

/// Why the entry point refused `host`: the version the plugin serves, read from a probe.
std::string refusal(fp_get_api_fn entry, std::uint32_t host) {
    const fp_api* probe = entry(FP_ABI_PROBE);
    const std::string theirs = probe == nullptr ? "unknown" : std::to_string(probe->abi_version);
    return "the plugin serves ABI version " + theirs + ", this host needs version " +
           std::to_string(host);
}

}  // namespace

core::Result<std::shared_ptr<const PluginLibrary>> PluginLibrary::open(
    const std::filesystem::path& path, std::uint32_t host_abi_version) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return core::fail(core::Errc::kNotFound, "no plugin library at " + path.string());
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        return core::fail(core::Errc::kUnavailable,
                          "cannot load " + path.string() + ": " + dl_error());
    }
    auto close = [handle](core::Errc code, const std::string& why) {
        ::dlclose(handle);
        return core::fail(code, why);
    };
    ::dlerror();
    void* symbol = ::dlsym(handle, FP_ENTRY_SYMBOL);
    if (symbol == nullptr) {
        return close(core::Errc::kUnavailable,
                     path.string() + " does not export " FP_ENTRY_SYMBOL ": " + dl_error());
    }
    const auto entry = reinterpret_cast<fp_get_api_fn>(symbol);
    const fp_api* api = entry(host_abi_version);
    if (api == nullptr || api->abi_version != host_abi_version) {
        return close(core::Errc::kUnavailable,
                     path.string() + ": " + refusal(entry, host_abi_version));
    }
    if (api->struct_size < FP_API_V1_SIZE || !complete(*api)) {
        return close(core::Errc::kCorruption,
                     path.string() + ": function table of " + std::to_string(api->struct_size) +
                         " bytes is incomplete (this host needs at least " +
                         std::to_string(FP_API_V1_SIZE) + " bytes, every function set)");
    }
    return std::shared_ptr<const PluginLibrary>(new PluginLibrary(handle, api, path));
}

bool PluginLibrary::has_state_hooks() const noexcept {
    return api_->struct_size >= FP_API_STATE_SIZE;
}

bool PluginLibrary::has_refusal_hook() const noexcept {
    return api_->struct_size >= FP_API_REFUSAL_SIZE;
}

PluginLibrary::~PluginLibrary() {
    ::dlclose(handle_);
}

std::string_view PluginLibrary::name() const noexcept {
    return api_->name;
}

std::string_view PluginLibrary::version() const noexcept {
    return api_->version;
}

}  // namespace mfd::plugin
