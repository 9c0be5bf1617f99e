#include "core/sha256.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>

namespace mfd::core {

Hash sha256(ByteView data) noexcept {
    Hash out;
    unsigned int len = 0;
    // EVP_Digest with a built-in algorithm only fails on allocation failure.
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1) {
        out = Hash{};
    }
    return out;
}

Result<void> secure_random(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        const int chunk = static_cast<int>(std::min<std::size_t>(out.size() - done, INT_MAX));
        if (RAND_bytes(out.data() + done, chunk) != 1) {
            return fail(Errc::kUnavailable, "OpenSSL RAND_bytes failed");
        }
        done += static_cast<std::size_t>(chunk);
    }
    return {};
}

}  // namespace mfd::core
