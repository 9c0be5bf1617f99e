// The block, block-header and receipt decoders on arbitrary bytes (the first byte picks one):
// whatever decodes re-encodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/block.hpp"
#include "core/receipt.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace mfd::core;
    if (size == 0) return 0;
    const ByteView input(data + 1, size - 1);
    const Bytes expected(input.begin(), input.end());
    switch (data[0] % 3) {
    case 0:
        if (auto block = decode_block(input)) {
            check(encode_block(*block) == expected && check_block_body(*block).has_value());
        }
        break;
    case 1:
        if (auto header = decode_block_header(input)) {
            check(encode_block_header(*header) == expected);
        }
        break;
    default:
        if (auto receipt = decode_receipt(input)) {
            check(encode_receipt(*receipt) == expected &&
                  receipt->logs_bloom == logs_bloom(receipt->logs));
        }
        break;
    }
    return 0;
}
