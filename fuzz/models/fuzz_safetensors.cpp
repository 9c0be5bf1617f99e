// Fuzzes the safetensors parser (model files come from operators and downloads): arbitrary
// bytes either parse or fail with an error, and what parses serialises and parses back to the
// same tensors and metadata.
#include <cstdint>
#include <cstdlib>

#include "models/safetensors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mfd::models;
    SafetensorsLimits limits;
    limits.max_header_bytes = 1 << 20;
    auto file = parse_safetensors(mfd::core::ByteView(data, size), limits);
    if (!file) return 0;
    auto bytes = serialize_safetensors(*file);
    if (!bytes) return 0;  // e.g. a name the writer refuses; the parser accepted it
    auto again = parse_safetensors(*bytes, limits);
    if (!again) std::abort();
    if (again->metadata != file->metadata || again->tensors.size() != file->tensors.size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < file->tensors.size(); ++i) {
        const auto& a = file->tensors[i];
        const auto* b = again->find(a.name);
        if (!b || b->dtype != a.dtype || b->shape != a.shape || b->data != a.data) std::abort();
    }
    return 0;
}
