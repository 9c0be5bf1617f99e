#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "models/safetensors.hpp"

namespace mfd::models {
namespace {

using core::Errc;
using core::fail;
using nlohmann::json;

core::Result<void> check_tensor(const SafeTensor& t, std::set<std::string>& names) {
    if (t.name.empty() || t.name == "__metadata__" || !names.insert(t.name).second) {
        return fail(Errc::kInvalidArgument,
                    "safetensors: tensor name '" + t.name + "' is empty, reserved or repeated");
    }
    std::uint64_t n = dtype_size(t.dtype);
    for (auto d : t.shape) {
        if (d != 0 && n > UINT64_MAX / d) {
            return fail(Errc::kInvalidArgument, "safetensors: shape of '" + t.name + "' overflows");
        }
        n *= d;
    }
    if (n != t.data.size()) {
        return fail(Errc::kInvalidArgument, "safetensors: '" + t.name + "' has " +
                                                std::to_string(t.data.size()) +
                                                " bytes, its shape needs " + std::to_string(n));
    }
    return {};
}

}  // namespace

core::Result<core::Bytes> serialize_safetensors(const SafetensorsFile& file) {
    std::set<std::string> names;
    json header = json::object();
    std::uint64_t offset = 0;
    for (const auto& t : file.tensors) {
        if (auto r = check_tensor(t, names); !r) return fail(r.error());
        header[t.name] = {{"dtype", std::string(dtype_name(t.dtype))},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.data.size()}}};
        offset += t.data.size();
    }
    if (!file.metadata.empty()) header["__metadata__"] = file.metadata;
    std::string text;
    try {
        text = header.dump();
    } catch (const json::exception& e) {  // a name or value that is not UTF-8
        return fail(Errc::kInvalidArgument, std::string("safetensors: ") + e.what());
    }
    text.append((8 - text.size() % 8) % 8, ' ');
    core::Bytes out(8);
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(text.size() >> (8 * i));
    core::append(out, core::as_bytes(text));
    out.reserve(out.size() + offset);
    for (const auto& t : file.tensors) core::append(out, t.data);
    return out;
}

core::Result<void> write_safetensors(const std::filesystem::path& path,
                                     const SafetensorsFile& file) {
    auto bytes = serialize_safetensors(file);
    if (!bytes) return fail(bytes.error());
    auto tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out ||
            !out.write(reinterpret_cast<const char*>(bytes->data()),
                       static_cast<std::streamsize>(bytes->size())) ||
            !out.flush()) {
            return fail(Errc::kIo, "safetensors: cannot write " + tmp.string());
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        auto error = fail(Errc::kIo,
                          "safetensors: cannot rename into " + path.string() + ": " + ec.message());
        std::filesystem::remove(tmp, ec);
        return error;
    }
    return {};
}

}  // namespace mfd::models
