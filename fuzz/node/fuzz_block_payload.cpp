// decode_payload on arbitrary bytes (a proposer's block payload, untrusted): it either fails with
// a reason or accepts exactly the canonical encoding of what it decoded.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "chain_sim/node/block_payload.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const mfd::core::ByteView input(data, size);
    const auto payload = mfd::chain::node::decode_payload(input);
    if (!payload) {
        if (payload.error().message.empty()) std::abort();
        return 0;
    }
    const mfd::core::Bytes again = mfd::chain::node::encode_payload(*payload);
    if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
    const auto twice = mfd::chain::node::decode_payload(again);
    if (!twice || !(*twice == *payload)) std::abort();
    return 0;
}
