#pragma once
/// Reader and writer of the safetensors format (Hugging Face): an 8-byte little-endian header
/// length N, N bytes of JSON header, then the raw little-endian tensor bytes. The header maps
/// each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the
/// first byte after the header) and may hold "__metadata__", an object of string → string.
/// Python's `safetensors` reads what this writes and the other way round. No Torch types.
///
/// Thread-safety: free functions with no shared state; safe to call concurrently.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mfd::models {

/// The element types of the format, named as in the header ("F32", "BF16", ...).
enum class Dtype : std::uint8_t {
    kBool,
    kU8,
    kI8,
    kF8E5M2,
    kF8E4M3,
    kI16,
    kU16,
    kF16,
    kBF16,
    kI32,
    kU32,
    kF32,
    kF64,
    kI64,
    kU64,
};

/// The header name of `dtype` ("F32").
[[nodiscard]] std::string_view dtype_name(Dtype dtype) noexcept;
/// The dtype of a header name; nullopt for a name the format does not define.
[[nodiscard]] std::optional<Dtype> dtype_from_name(std::string_view name) noexcept;
/// Bytes per element.
[[nodiscard]] std::size_t dtype_size(Dtype dtype) noexcept;

/// One tensor: its name, element type, shape (outermost first) and raw little-endian bytes.
struct SafeTensor {
    std::string name;
    Dtype dtype = Dtype::kF32;
    std::vector<std::uint64_t> shape;
    core::Bytes data;
};

/// A whole file: tensors in data order and the `__metadata__` strings.
struct SafetensorsFile {
    std::vector<SafeTensor> tensors;
    std::map<std::string, std::string> metadata;

    /// The tensor called `name`, or nullptr.
    [[nodiscard]] const SafeTensor* find(std::string_view name) const noexcept;
};

/// Bounds that a reader enforces before trusting a header.
struct SafetensorsLimits {
    std::uint64_t max_header_bytes = 100'000'000;  ///< the format's own bound on N
    std::uint64_t max_file_bytes = 1ULL << 32;     ///< refuse larger files before reading them
};

/// Parses a file held in memory and validates all of it: at least 8 bytes; N within the limit
/// and the input; the header starts with '{' and is one JSON object without duplicate keys
/// (trailing spaces allowed); every entry has exactly dtype/shape/data_offsets with a known
/// dtype, non-negative integer dims and begin <= end; shape × element size equals end - begin
/// without overflow; the offsets tile the data exactly (sorted, from 0, no gap, no overlap, up
/// to the end of the input); `__metadata__`, if present, is an object of strings. Fails with
/// kCorruption (naming the tensor and the rule) or kLimitExceeded.
[[nodiscard]] core::Result<SafetensorsFile> parse_safetensors(core::ByteView bytes,
                                                              const SafetensorsLimits& limits = {});

/// Reads and parses `path`. Fails with kNotFound for a missing file, kIo when it cannot be read,
/// kLimitExceeded when it is larger than `limits.max_file_bytes`, or parse_safetensors' error.
[[nodiscard]] core::Result<SafetensorsFile> read_safetensors(const std::filesystem::path& path,
                                                             const SafetensorsLimits& limits = {});

/// Encodes `file`: tensors laid out in vector order, header padded with spaces to a multiple of
/// 8 bytes so the data is aligned. Fails with kInvalidArgument on an empty, repeated or reserved
/// ("__metadata__") name, or data whose size is not shape × element size.
[[nodiscard]] core::Result<core::Bytes> serialize_safetensors(const SafetensorsFile& file);

/// Serialises `file` to `path` through a temporary file renamed into place, so readers never
/// see half a file. Fails with serialize_safetensors' error or kIo.
[[nodiscard]] core::Result<void> write_safetensors(const std::filesystem::path& path,
                                                   const SafetensorsFile& file);

}  // namespace mfd::models
