#include "models/safetensors.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

namespace mfd::models {
namespace {

using core::Errc;
using core::fail;
using nlohmann::json;

struct DtypeInfo {
    Dtype dtype;
    std::string_view name;
    std::size_t size;
};

constexpr std::array<DtypeInfo, 15> kDtypes{{
    {Dtype::kBool, "BOOL", 1},
    {Dtype::kU8, "U8", 1},
    {Dtype::kI8, "I8", 1},
    {Dtype::kF8E5M2, "F8_E5M2", 1},
    {Dtype::kF8E4M3, "F8_E4M3", 1},
    {Dtype::kI16, "I16", 2},
    {Dtype::kU16, "U16", 2},
    {Dtype::kF16, "F16", 2},
    {Dtype::kBF16, "BF16", 2},
    {Dtype::kI32, "I32", 4},
    {Dtype::kU32, "U32", 4},
    {Dtype::kF32, "F32", 4},
    {Dtype::kF64, "F64", 8},
    {Dtype::kI64, "I64", 8},
    {Dtype::kU64, "U64", 8},
}};

constexpr std::string_view kMetadataKey = "__metadata__";

/// A parsed header entry before its bytes are attached.
struct Entry {
    std::string name;
    Dtype dtype;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin;
    std::uint64_t end;
};

core::Unexpected corrupt(const std::string& what) {
    return fail(Errc::kCorruption, "safetensors: " + what);
}

/// A header is {"__metadata__":{…}, name:{"dtype","shape":[…],"data_offsets":[…]}}: three
/// levels. Deeper nesting is refused while parsing, before anything recurses over it.
constexpr int kMaxHeaderDepth = 8;

/// Parses JSON and rejects a repeated key in any object (nlohmann keeps the last one silently).
core::Result<json> parse_json_unique(std::string_view text) {
    std::vector<std::set<std::string>> keys;
    std::string duplicate;
    bool too_deep = false;
    auto check = [&](int depth, json::parse_event_t event, json& parsed) {
        // nlohmann counts the depth from 0 at the top level and reports it on every event.
        if (depth >= kMaxHeaderDepth) too_deep = true;
        if (too_deep) return false;
        if (event == json::parse_event_t::object_start) keys.emplace_back();
        if (event == json::parse_event_t::object_end && !keys.empty()) keys.pop_back();
        if (event == json::parse_event_t::key && !keys.empty() &&
            !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty()) {
            duplicate = parsed.get<std::string>();
        }
        return true;
    };
    try {
        auto j = json::parse(text.begin(), text.end(), check);
        if (too_deep) {
            return corrupt("header nests deeper than " + std::to_string(kMaxHeaderDepth) +
                           " levels");
        }
        if (!duplicate.empty()) return corrupt("duplicate key '" + duplicate + "' in header");
        return j;
    } catch (const json::exception& e) {
        return corrupt(std::string("header is not valid JSON: ") + e.what());
    }
}

bool is_count(const json& v) {
    return v.is_number_unsigned();
}

core::Result<std::vector<std::uint64_t>> parse_shape(const std::string& name, const json& v) {
    if (!v.is_array()) return corrupt("tensor '" + name + "': shape is not an array");
    std::vector<std::uint64_t> shape;
    for (const auto& d : v) {
        if (!is_count(d))
            return corrupt("tensor '" + name + "': a dimension is not an integer >= 0");
        shape.push_back(d.get<std::uint64_t>());
    }
    return shape;
}

/// shape × element size, or nullopt on overflow.
std::optional<std::uint64_t> byte_size(const std::vector<std::uint64_t>& shape, Dtype dtype) {
    std::uint64_t n = dtype_size(dtype);
    for (auto d : shape) {
        if (d != 0 && n > UINT64_MAX / d) return std::nullopt;
        n *= d;
    }
    return n;
}

core::Result<Entry> parse_entry(const std::string& name, const json& v) {
    if (!v.is_object() || v.size() != 3 || !v.contains("dtype") || !v.contains("shape") ||
        !v.contains("data_offsets")) {
        return corrupt("tensor '" + name + "': needs exactly dtype, shape and data_offsets");
    }
    const auto& dt = v["dtype"];
    const auto dtype = dt.is_string() ? dtype_from_name(dt.get<std::string>()) : std::nullopt;
    if (!dtype) return corrupt("tensor '" + name + "': unknown dtype " + dt.dump());
    auto shape = parse_shape(name, v["shape"]);
    if (!shape) return fail(shape.error());
    const auto& off = v["data_offsets"];
    if (!off.is_array() || off.size() != 2 || !is_count(off[0]) || !is_count(off[1]) ||
        off[0].get<std::uint64_t>() > off[1].get<std::uint64_t>()) {
        return corrupt("tensor '" + name + "': data_offsets must be [begin, end], begin <= end");
    }
    Entry e{name, *dtype, std::move(*shape), off[0].get<std::uint64_t>(),
            off[1].get<std::uint64_t>()};
    const auto expected = byte_size(e.shape, e.dtype);
    if (!expected || *expected != e.end - e.begin) {
        return corrupt("tensor '" + name + "': shape × element size does not match its " +
                       std::to_string(e.end - e.begin) + " bytes");
    }
    return e;
}

core::Result<std::map<std::string, std::string>> parse_metadata(const json& v) {
    if (!v.is_object()) return corrupt("__metadata__ is not an object");
    std::map<std::string, std::string> out;
    for (const auto& [key, value] : v.items()) {
        if (!value.is_string()) return corrupt("__metadata__ '" + key + "' is not a string");
        out.emplace(key, value.get<std::string>());
    }
    return out;
}

/// Sorts entries by offset and checks that they tile [0, data_size) exactly.
core::Result<void> check_tiling(std::vector<Entry>& entries, std::uint64_t data_size) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::uint64_t cursor = 0;
    for (const auto& e : entries) {
        if (e.begin != cursor) {
            return corrupt("tensor '" + e.name + "' starts at " + std::to_string(e.begin) +
                           ", expected " + std::to_string(cursor) + " (gap or overlap)");
        }
        cursor = e.end;
    }
    if (cursor != data_size) {
        return corrupt("tensors cover " + std::to_string(cursor) + " bytes but the data has " +
                       std::to_string(data_size));
    }
    return {};
}

core::Result<SafetensorsFile> parse_header(const json& header, core::ByteView data) {
    if (!header.is_object()) return corrupt("header is not a JSON object");
    SafetensorsFile file;
    std::vector<Entry> entries;
    for (const auto& [key, value] : header.items()) {
        if (key == kMetadataKey) {
            auto meta = parse_metadata(value);
            if (!meta) return fail(meta.error());
            file.metadata = std::move(*meta);
            continue;
        }
        auto entry = parse_entry(key, value);
        if (!entry) return fail(entry.error());
        entries.push_back(std::move(*entry));
    }
    if (auto r = check_tiling(entries, data.size()); !r) return fail(r.error());
    for (auto& e : entries) {
        const auto* first = data.data() + e.begin;
        file.tensors.push_back({std::move(e.name), e.dtype, std::move(e.shape),
                                core::Bytes(first, first + (e.end - e.begin))});
    }
    return file;
}

}  // namespace

std::string_view dtype_name(Dtype dtype) noexcept {
    for (const auto& d : kDtypes) {
        if (d.dtype == dtype) return d.name;
    }
    return "?";
}

std::optional<Dtype> dtype_from_name(std::string_view name) noexcept {
    for (const auto& d : kDtypes) {
        if (d.name == name) return d.dtype;
    }
    return std::nullopt;
}

std::size_t dtype_size(Dtype dtype) noexcept {
    for (const auto& d : kDtypes) {
        if (d.dtype == dtype) return d.size;
    }
    return 1;
}

const SafeTensor* SafetensorsFile::find(std::string_view name) const noexcept {
    for (const auto& t : tensors) {
        if (t.name == name) return &t;
    }
    return nullptr;
}

core::Result<SafetensorsFile> parse_safetensors(core::ByteView bytes,
                                                const SafetensorsLimits& limits) {
    if (bytes.size() < 8) {
        return corrupt("truncated: " + std::to_string(bytes.size()) +
                       " bytes, the header length alone needs 8");
    }
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[static_cast<std::size_t>(i)];
    if (n > limits.max_header_bytes) {
        return fail(Errc::kLimitExceeded, "safetensors: header of " + std::to_string(n) +
                                              " bytes exceeds the limit of " +
                                              std::to_string(limits.max_header_bytes));
    }
    if (n > bytes.size() - 8) {
        return corrupt("truncated: header announces " + std::to_string(n) + " bytes, " +
                       std::to_string(bytes.size() - 8) + " follow");
    }
    const std::string_view text(reinterpret_cast<const char*>(bytes.data() + 8), n);
    if (text.empty() || text.front() != '{') return corrupt("header does not start with '{'");
    auto header = parse_json_unique(text);
    if (!header) return fail(header.error());
    return parse_header(*header, bytes.subspan(8 + n));
}

core::Result<SafetensorsFile> read_safetensors(const std::filesystem::path& path,
                                               const SafetensorsLimits& limits) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        const bool missing = ec == std::errc::no_such_file_or_directory;
        return fail(missing ? Errc::kNotFound : Errc::kIo,
                    "safetensors: cannot open " + path.string() + ": " + ec.message());
    }
    if (size > limits.max_file_bytes) {
        return fail(Errc::kLimitExceeded, "safetensors: " + path.string() + " has " +
                                              std::to_string(size) + " bytes, over the limit");
    }
    std::ifstream in(path, std::ios::binary);
    core::Bytes bytes(size);
    if (!in ||
        !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
        return fail(Errc::kIo, "safetensors: cannot read " + path.string());
    }
    return parse_safetensors(bytes, limits);
}

}  // namespace mfd::models
