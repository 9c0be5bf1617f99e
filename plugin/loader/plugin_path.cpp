#include "plugin/loader/plugin_path.hpp"

#include <cstdlib>
#include <string>

namespace mfd::plugin {
namespace {

constexpr const char* kLibraryName = "libfraud_plugin.so";

}  // namespace

core::Result<std::filesystem::path> locate_plugin_from(const std::filesystem::path& exe_dir) {
    std::error_code ec;
    if (const char* env = std::getenv(kPluginEnv); env != nullptr && *env != '\0') {
        const std::filesystem::path p(env);
        if (std::filesystem::is_regular_file(p, ec)) return p;
        return core::fail(core::Errc::kNotFound, std::string(kPluginEnv) + " names " + p.string() +
                                                     ", which is not a file");
    }
    const std::filesystem::path candidates[] = {exe_dir.parent_path() / "lib" / kLibraryName,
                                                exe_dir / kLibraryName};
    for (const auto& c : candidates) {
        if (std::filesystem::is_regular_file(c, ec)) return c.lexically_normal();
    }
    return core::fail(core::Errc::kNotFound, std::string("no ") + kLibraryName + " at " +
                                                 candidates[0].string() + " nor " +
                                                 candidates[1].string() + "; set " + kPluginEnv);
}

core::Result<std::filesystem::path> locate_plugin() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return core::fail(core::Errc::kNotFound, "cannot read /proc/self/exe: " + ec.message());
    }
    return locate_plugin_from(exe.parent_path());
}

}  // namespace mfd::plugin
