#pragma once
/// Recursive Length Prefix (Ethereum yellow paper, appendix B): a builder that writes canonical
/// encodings and a strict decoder that rejects every non-canonical form with its own Errc.
/// Decoded items are views into the caller's buffer, which must outlive them. Everything here is
/// thread-safe: no shared state.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::core {

/// One RLP item seen through views into the input (no copies).
struct RlpItem {
    bool is_list = false;
    ByteView payload;  ///< the string's bytes, or the concatenated encodings of the list's items
    ByteView encoded;  ///< header and payload: the item's whole encoding
};

/// Limits of the decoder.
struct RlpLimits {
    std::size_t max_depth = 64;  ///< lists may nest this deep (the top-level list is depth 1)
};

/// Reads the header of the item at the start of `input`, checking that the header is canonical
/// and that the payload fits `input`; does not look inside lists and ignores bytes after the
/// item (its `encoded.size()` says how far it reaches). Fails with kRlpEof (empty input or a
/// truncated header), kRlpLeadingZeros, kRlpNonCanonicalSize, kRlpSingleByteString or
/// kRlpSizeOverflow (payload past the end of `input`).
[[nodiscard]] Result<RlpItem> rlp_read_item(ByteView input);

/// Decodes `input` as exactly one item and checks every nested item as `rlp_read_item` does,
/// plus kRlpSizeOverflow when an item runs past its enclosing list, kRlpTooDeep beyond
/// `limits.max_depth` and kRlpTrailingBytes after the item. Iterative: deep input cannot
/// exhaust the stack.
[[nodiscard]] Result<RlpItem> rlp_decode(ByteView input, const RlpLimits& limits = {});

/// Walks the items of one list in order. Each `next()` header-checks one item (nested lists are
/// checked only when the caller walks into them, or wholesale by `rlp_decode`). Not thread-safe.
class RlpListReader {
public:
    /// A reader over the items of `list`; kRlpExpectedList when `list` is a string.
    [[nodiscard]] static Result<RlpListReader> open(const RlpItem& list);

    /// True when every item has been read.
    [[nodiscard]] bool at_end() const noexcept { return rest_.empty(); }
    /// How many items have been read so far.
    [[nodiscard]] std::size_t position() const noexcept { return position_; }
    /// The next item; kRlpWrongFieldCount past the end, kRlpSizeOverflow when the item runs past
    /// the list, or another header error of `rlp_read_item`.
    [[nodiscard]] Result<RlpItem> next();

private:
    explicit RlpListReader(ByteView payload) noexcept : rest_(payload) {}

    ByteView rest_;
    std::size_t position_ = 0;
};

/// All items of a list, header-checked; kRlpExpectedList for a string item.
[[nodiscard]] Result<std::vector<RlpItem>> rlp_list_items(const RlpItem& list);

/// The bytes of a string item; kRlpExpectedString for a list.
[[nodiscard]] Result<ByteView> rlp_string(const RlpItem& item);

/// The big-endian bytes of a canonical unsigned integer of at most `max_bytes` bytes: a string
/// without leading zero bytes (zero is the empty string). Fails with kRlpExpectedString,
/// kRlpLeadingZeros or kOutOfRange (wider than `max_bytes`), in that order.
[[nodiscard]] Result<ByteView> rlp_uint_bytes(const RlpItem& item, std::size_t max_bytes);

/// A canonical unsigned integer of at most 8 bytes. Errors as `rlp_uint_bytes`, except that a
/// string of more than 8 bytes is kOutOfRange even with leading zeros (go-ethereum's order for
/// 64-bit fields, which ethereum/tests follows).
[[nodiscard]] Result<std::uint64_t> rlp_uint64(const RlpItem& item);

/// A canonical unsigned integer of at most 32 bytes (errors as `rlp_uint_bytes`).
[[nodiscard]] Result<U256> rlp_u256(const RlpItem& item);

/// A string item of exactly N bytes (an address, a hash); kRlpExpectedString for a list,
/// kInvalidArgument for another length.
template <std::size_t N>
[[nodiscard]] Result<FixedBytes<N>> rlp_fixed_bytes(const RlpItem& item) {
    auto bytes = rlp_string(item);
    if (!bytes) return fail(bytes.error());
    return FixedBytes<N>::from(*bytes);
}

/// Builds one canonical encoding: add items, open and close lists, then take the bytes.
/// Not thread-safe (one builder per thread).
class RlpEncoder {
public:
    /// Appends a byte string.
    RlpEncoder& add_bytes(ByteView bytes);
    /// Appends the characters of `s` as a byte string.
    RlpEncoder& add_string(std::string_view s) { return add_bytes(as_bytes(s)); }
    /// Appends an unsigned integer (big-endian, no leading zeros; zero is the empty string).
    RlpEncoder& add_uint(std::uint64_t value);
    /// Appends a 256-bit unsigned integer.
    RlpEncoder& add_uint(const U256& value);
    /// Appends an item that is already RLP-encoded, unchanged.
    RlpEncoder& add_raw(ByteView encoded);
    /// Opens a list; the items added until the matching `end_list()` go into it.
    RlpEncoder& begin_list();
    /// Closes the innermost open list. Closing when none is open is a bug of the caller: the
    /// builder remembers it and `take()` fails with kInternal.
    RlpEncoder& end_list();
    /// Number of lists opened and not yet closed.
    [[nodiscard]] std::size_t open_lists() const noexcept { return open_.size(); }
    /// The encoding, leaving the builder empty; kInternal when a list is still open or more
    /// lists were closed than opened.
    [[nodiscard]] Result<Bytes> take();

private:
    Bytes out_;
    std::vector<std::size_t> open_;  // offsets where the open lists' payloads start
    bool unbalanced_ = false;
};

/// The RLP header for a payload of `length` bytes: a string header, or a list header when
/// `list`. Exposed for encoders that write payloads themselves.
[[nodiscard]] Bytes rlp_header(std::size_t length, bool list);

/// The canonical encoding of one byte string.
[[nodiscard]] Bytes rlp_encode_bytes(ByteView bytes);

/// The canonical encoding of one unsigned integer.
[[nodiscard]] Bytes rlp_encode_uint(const U256& value);

/// The canonical encoding of a list whose items are already encoded.
[[nodiscard]] Bytes rlp_encode_list(const std::vector<Bytes>& encoded_items);

}  // namespace mfd::core
