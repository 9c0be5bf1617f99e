#include "core/rlp.hpp"

#include <string>

namespace mfd::core {
namespace {

constexpr std::uint8_t kShortString = 0x80;
constexpr std::uint8_t kLongString = 0xb7;
constexpr std::uint8_t kShortList = 0xc0;
constexpr std::uint8_t kLongList = 0xf7;
constexpr std::size_t kMaxShortPayload = 55;

std::string kind_name(bool list) {
    return list ? "list" : "string";
}

// The payload length written in `n` big-endian bytes after the first byte of a long form.
Result<std::size_t> read_long_length(ByteView in, std::size_t n, bool list) {
    if (in.size() < 1 + n) {
        return fail(Errc::kRlpEof, "input ends inside the " + std::to_string(n) +
                                       "-byte length of a long " + kind_name(list));
    }
    if (in[1] == 0) {
        return fail(Errc::kRlpLeadingZeros,
                    "length of a long " + kind_name(list) + " starts with a zero byte");
    }
    std::uint64_t length = 0;
    for (std::size_t i = 1; i <= n; ++i) length = (length << 8) | in[i];
    if (length <= kMaxShortPayload) {
        return fail(Errc::kRlpNonCanonicalSize, "long form for a " + kind_name(list) + " of " +
                                                    std::to_string(length) + " bytes");
    }
    return static_cast<std::size_t>(length);
}

Result<RlpItem> make_item(ByteView in, bool list, std::size_t header, std::size_t length) {
    if (length > in.size() - header) {
        return fail(Errc::kRlpSizeOverflow, kind_name(list) + " of " + std::to_string(length) +
                                                " bytes announced, " +
                                                std::to_string(in.size() - header) + " remain");
    }
    return RlpItem{list, in.subspan(header, length), in.subspan(0, header + length)};
}

Result<RlpItem> read_string(ByteView in) {
    const std::uint8_t first = in[0];
    if (first <= kLongString) {
        auto item = make_item(in, false, 1, first - kShortString);
        if (item && item->payload.size() == 1 && item->payload[0] < kShortString) {
            return fail(Errc::kRlpSingleByteString,
                        "byte " + to_hex(item->payload) + " wrapped as a one-byte string");
        }
        return item;
    }
    auto length = read_long_length(in, first - kLongString, false);
    if (!length) return fail(length.error());
    return make_item(in, false, 1 + first - kLongString, *length);
}

Result<RlpItem> read_list(ByteView in) {
    const std::uint8_t first = in[0];
    if (first <= kLongList) return make_item(in, true, 1, first - kShortList);
    auto length = read_long_length(in, first - kLongList, true);
    if (!length) return fail(length.error());
    return make_item(in, true, 1 + first - kLongList, *length);
}

Error at_offset(Error e, std::size_t offset) {
    e.message += " (at byte " + std::to_string(offset) + ")";
    return e;
}

// Checks every item nested in `top` (already header-checked), depth-first without recursion.
Result<void> check_nested(const RlpItem& top, ByteView input, const RlpLimits& limits) {
    if (limits.max_depth == 0) return fail(Errc::kRlpTooDeep, "lists are not allowed (depth 0)");
    std::vector<ByteView> open{top.payload};  // the unread rest of each open list
    while (!open.empty()) {
        if (open.back().empty()) {
            open.pop_back();
            continue;
        }
        const ByteView rest = open.back();
        auto item = rlp_read_item(rest);
        const auto offset = static_cast<std::size_t>(rest.data() - input.data());
        if (!item) return fail(at_offset(item.error(), offset));
        open.back() = rest.subspan(item->encoded.size());
        if (!item->is_list) continue;
        if (open.size() >= limits.max_depth) {
            return fail(Errc::kRlpTooDeep, "lists nested deeper than " +
                                               std::to_string(limits.max_depth) + " (at byte " +
                                               std::to_string(offset) + ")");
        }
        open.push_back(item->payload);
    }
    return {};
}

Error too_wide(std::size_t size, std::size_t max_bytes) {
    return Error{Errc::kOutOfRange, "integer of " + std::to_string(size) + " bytes, at most " +
                                        std::to_string(max_bytes) + " allowed"};
}

}  // namespace

Result<RlpItem> rlp_read_item(ByteView input) {
    if (input.empty()) return fail(Errc::kRlpEof, "empty input where an item was expected");
    const std::uint8_t first = input[0];
    if (first < kShortString) return RlpItem{false, input.subspan(0, 1), input.subspan(0, 1)};
    if (first < kShortList) return read_string(input);
    return read_list(input);
}

Result<RlpItem> rlp_decode(ByteView input, const RlpLimits& limits) {
    auto top = rlp_read_item(input);
    if (!top) return fail(at_offset(top.error(), 0));
    if (top->is_list) {  // errors are reported in byte order: nested ones before trailing bytes
        auto nested = check_nested(*top, input, limits);
        if (!nested) return fail(nested.error());
    }
    if (top->encoded.size() != input.size()) {
        return fail(Errc::kRlpTrailingBytes, std::to_string(input.size() - top->encoded.size()) +
                                                 " bytes after the item (at byte " +
                                                 std::to_string(top->encoded.size()) + ")");
    }
    return top;
}

Result<RlpListReader> RlpListReader::open(const RlpItem& list) {
    if (!list.is_list) return fail(Errc::kRlpExpectedList, "expected a list, got a string");
    return RlpListReader(list.payload);
}

Result<RlpItem> RlpListReader::next() {
    if (rest_.empty()) {
        return fail(Errc::kRlpWrongFieldCount,
                    "list ends after " + std::to_string(position_) + " items");
    }
    auto item = rlp_read_item(rest_);
    if (!item) {
        Error e = item.error();
        e.message += " (item " + std::to_string(position_) + " of a list)";
        return fail(std::move(e));
    }
    rest_ = rest_.subspan(item->encoded.size());
    ++position_;
    return item;
}

Result<std::vector<RlpItem>> rlp_list_items(const RlpItem& list) {
    auto reader = RlpListReader::open(list);
    if (!reader) return fail(reader.error());
    std::vector<RlpItem> items;
    while (!reader->at_end()) {
        auto item = reader->next();
        if (!item) return fail(item.error());
        items.push_back(*item);
    }
    return items;
}

Result<ByteView> rlp_string(const RlpItem& item) {
    if (item.is_list) return fail(Errc::kRlpExpectedString, "expected a string, got a list");
    return item.payload;
}

Result<ByteView> rlp_uint_bytes(const RlpItem& item, std::size_t max_bytes) {
    if (item.is_list) return fail(Errc::kRlpExpectedString, "expected an integer, got a list");
    const ByteView be = item.payload;
    if (!be.empty() && be[0] == 0) {
        return fail(Errc::kRlpLeadingZeros, "integer " + to_hex(be) + " has leading zero bytes");
    }
    if (be.size() > max_bytes) return fail(too_wide(be.size(), max_bytes));
    return be;
}

Result<std::uint64_t> rlp_uint64(const RlpItem& item) {
    if (!item.is_list && item.payload.size() > 8) return fail(too_wide(item.payload.size(), 8));
    auto be = rlp_uint_bytes(item, 8);
    if (!be) return fail(be.error());
    std::uint64_t value = 0;
    for (std::uint8_t b : *be) value = (value << 8) | b;
    return value;
}

Result<U256> rlp_u256(const RlpItem& item) {
    auto be = rlp_uint_bytes(item, 32);
    if (!be) return fail(be.error());
    return U256::from_be(*be);
}

Bytes rlp_header(std::size_t length, bool list) {
    const std::uint8_t short_base = list ? kShortList : kShortString;
    if (length <= kMaxShortPayload) return Bytes{static_cast<std::uint8_t>(short_base + length)};
    Bytes len = be_trimmed(length);
    Bytes out{static_cast<std::uint8_t>((list ? kLongList : kLongString) + len.size())};
    append(out, len);
    return out;
}

RlpEncoder& RlpEncoder::add_bytes(ByteView bytes) {
    const bool single_byte = bytes.size() == 1 && bytes[0] < kShortString;
    if (!single_byte) append(out_, rlp_header(bytes.size(), false));
    append(out_, bytes);
    return *this;
}

RlpEncoder& RlpEncoder::add_uint(std::uint64_t value) {
    return add_bytes(be_trimmed(value));
}

RlpEncoder& RlpEncoder::add_uint(const U256& value) {
    return add_bytes(value.to_be_trimmed());
}

RlpEncoder& RlpEncoder::add_raw(ByteView encoded) {
    append(out_, encoded);
    return *this;
}

RlpEncoder& RlpEncoder::begin_list() {
    open_.push_back(out_.size());
    return *this;
}

RlpEncoder& RlpEncoder::end_list() {
    if (open_.empty()) {
        unbalanced_ = true;
        return *this;
    }
    const std::size_t start = open_.back();
    open_.pop_back();
    const Bytes header = rlp_header(out_.size() - start, true);
    out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(start), header.begin(), header.end());
    return *this;
}

Result<Bytes> RlpEncoder::take() {
    if (unbalanced_ || !open_.empty()) {
        return fail(Errc::kInternal, unbalanced_
                                         ? "end_list() without a matching begin_list()"
                                         : std::to_string(open_.size()) + " lists still open");
    }
    Bytes out = std::move(out_);
    out_.clear();
    return out;
}

Bytes rlp_encode_bytes(ByteView bytes) {
    RlpEncoder enc;
    enc.add_bytes(bytes);
    return *enc.take();
}

Bytes rlp_encode_uint(const U256& value) {
    return rlp_encode_bytes(value.to_be_trimmed());
}

Bytes rlp_encode_list(const std::vector<Bytes>& encoded_items) {
    std::size_t length = 0;
    for (const Bytes& item : encoded_items) length += item.size();
    Bytes out = rlp_header(length, true);
    out.reserve(out.size() + length);
    for (const Bytes& item : encoded_items) append(out, item);
    return out;
}

}  // namespace mfd::core
