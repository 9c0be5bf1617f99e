#include "core/abi.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

#include "core/keccak.hpp"

namespace mfd::core::abi {
namespace {

constexpr int kMaxTypeDepth = 16;
constexpr std::size_t kWord = 32;
constexpr std::size_t kMaxFixedArray = 4096;
constexpr std::size_t kMaxStaticSize = 64 * 1024;

// Decoding spends one unit per leaf or dynamic value. A canonical encoding holds at least one
// word for each, so a budget of twice the data's word count never refuses one, while offsets
// that point many elements at the same data (an "ABI bomb") run out instead of multiplying the
// work.
struct Budget {
    std::size_t left;
    bool spend() {
        if (left == 0) return false;
        --left;
        return true;
    }
};

Unexpected abi_error(std::string message) { return fail(Errc::kAbiDecode, std::move(message)); }

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

std::optional<std::size_t> parse_size(std::string_view s) {
    std::size_t v = 0;
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

// Splits "a,b,(c,d)" at top-level commas.
Result<std::vector<std::string_view>> split_top_level(std::string_view s) {
    std::vector<std::string_view> parts;
    if (trim(s).empty()) return parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '(') ++depth;
        if (s[i] == ')' && --depth < 0) return abi_error("unbalanced ')' in type list");
        if (s[i] == ',' && depth == 0) {
            parts.push_back(trim(s.substr(start, i - start)));
            start = i + 1;
        }
    }
    if (depth != 0) return abi_error("unbalanced '(' in type list");
    parts.push_back(trim(s.substr(start)));
    return parts;
}

Result<Type> parse_type_depth(std::string_view text, int depth);

Result<Type> parse_base(std::string_view base, int depth) {
    Type t;
    auto width = [&](std::string_view prefix, unsigned lo, unsigned hi,
                     unsigned step) -> std::optional<unsigned> {
        const std::string_view digits = base.substr(prefix.size());
        if (digits.empty()) return std::nullopt;
        auto n = parse_size(digits);
        if (!n || *n < lo || *n > hi || *n % step != 0) return 0U;
        return static_cast<unsigned>(*n);
    };
    if (base == "address") {
        t.kind = Kind::kAddress;
    } else if (base == "bool") {
        t.kind = Kind::kBool;
    } else if (base == "string") {
        t.kind = Kind::kString;
    } else if (base == "bytes") {
        t.kind = Kind::kBytes;
    } else if (base.starts_with("bytes")) {
        const auto n = width("bytes", 1, 32, 1);
        if (!n || *n == 0) return abi_error("bytesN needs N in [1, 32]: '" + std::string(base) + "'");
        t.kind = Kind::kFixedBytes;
        t.size = *n;
    } else if (base.starts_with("uint") || base.starts_with("int")) {
        const bool is_signed = base.starts_with("int");
        const auto n = width(is_signed ? "int" : "uint", 8, 256, 8);
        if (n && *n == 0) return abi_error("integer width must be 8..256 in steps of 8: '" + std::string(base) + "'");
        t.kind = is_signed ? Kind::kInt : Kind::kUint;
        t.bits = n.value_or(256);
    } else if (base.starts_with("(") && base.ends_with(")")) {
        auto parts = split_top_level(base.substr(1, base.size() - 2));
        if (!parts) return fail(parts.error());
        // Solidity has no empty structs: "()" is only a signature's empty parameter list.
        if (parts->empty() && depth > 0) return abi_error("empty tuple inside an ABI type");
        t.kind = Kind::kTuple;
        for (auto part : *parts) {
            auto child = parse_type_depth(part, depth + 1);
            if (!child) return fail(child.error());
            t.children.push_back(std::move(*child));
        }
    } else {
        return abi_error("unknown ABI type '" + std::string(base) + "'");
    }
    return t;
}

Result<Type> parse_type_depth(std::string_view text, int depth) {
    if (depth > kMaxTypeDepth) return abi_error("ABI type nested deeper than 16");
    text = trim(text);
    if (text.empty()) return abi_error("empty ABI type");
    // The base ends at the first '[' outside parentheses; array suffixes follow it.
    std::size_t base_end = text.size();
    int parens = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '(') ++parens;
        if (text[i] == ')') --parens;
        if (text[i] == '[' && parens == 0) {
            base_end = i;
            break;
        }
    }
    auto t = parse_base(text.substr(0, base_end), depth);
    if (!t) return t;
    std::string_view rest = text.substr(base_end);
    if (!rest.empty() && t->kind == Kind::kTuple && t->children.empty()) {
        return abi_error("array of empty tuples in '" + std::string(text) + "'");
    }
    int suffixes = 0;
    while (!rest.empty()) {
        const std::size_t close = rest.find(']');
        if (rest[0] != '[' || close == std::string_view::npos) {
            return abi_error("malformed array suffix in '" + std::string(text) + "'");
        }
        if (depth + ++suffixes > kMaxTypeDepth) return abi_error("ABI type nested deeper than 16");
        Type arr;
        const std::string_view count = rest.substr(1, close - 1);
        if (count.empty()) {
            arr.kind = Kind::kArray;
        } else {
            auto n = parse_size(count);
            if (!n || *n == 0 || *n > kMaxFixedArray) return abi_error("bad fixed array length in '" + std::string(text) + "'");
            arr.kind = Kind::kFixedArray;
            arr.size = *n;
        }
        arr.children.push_back(std::move(*t));
        if (!arr.is_dynamic() && arr.head_size() > kMaxStaticSize) {
            return abi_error("static ABI type larger than 64 KiB: '" + std::string(text) + "'");
        }
        *t = std::move(arr);
        rest.remove_prefix(close + 1);
    }
    return t;
}

// ---- encoding ----

void put_word(Bytes& out, const U256& v) { append(out, v.to_be32().view()); }

bool fits_signed(const U256& v, unsigned bits) {
    if (bits == 256) return true;
    const U256 top = v >> (bits - 1);  // sign bit and everything above it
    return top.is_zero() || top == (U256::max() >> (bits - 1));
}

Result<void> encode_tuple(const std::function<const Type&(std::size_t)>& type_at, std::size_t n,
                          const Value::List& values, Bytes& out);

Result<void> encode_value(const Type& t, const Value& v, Bytes& out) {
    const U256* num = v.as_uint();
    const Bytes* bytes = v.as_bytes();
    const Value::List* list = v.as_list();
    switch (t.kind) {
    case Kind::kUint:
        if (!num || num->bit_length() > t.bits) return abi_error("value does not fit " + t.name());
        put_word(out, *num);
        return {};
    case Kind::kInt:
        if (!num || !fits_signed(*num, t.bits)) return abi_error("value does not fit " + t.name());
        put_word(out, *num);
        return {};
    case Kind::kAddress:
        if (!num || num->bit_length() > 160) return abi_error("value is not an address");
        put_word(out, *num);
        return {};
    case Kind::kBool:
        if (!num || *num > U256(1)) return abi_error("bool must be 0 or 1");
        put_word(out, *num);
        return {};
    case Kind::kFixedBytes: {
        if (!bytes || bytes->size() != t.size) return abi_error("value is not " + t.name());
        Bytes word(kWord, 0);
        std::copy(bytes->begin(), bytes->end(), word.begin());
        append(out, word);
        return {};
    }
    case Kind::kBytes:
    case Kind::kString: {
        if (!bytes) return abi_error("value is not " + t.name());
        put_word(out, U256(bytes->size()));
        append(out, *bytes);
        out.resize(out.size() + (kWord - bytes->size() % kWord) % kWord, 0);
        return {};
    }
    case Kind::kArray:
        if (!list) return abi_error("value is not an array for " + t.name());
        put_word(out, U256(list->size()));
        return encode_tuple([&](std::size_t) -> const Type& { return t.children[0]; },
                            list->size(), *list, out);
    case Kind::kFixedArray:
        if (!list || list->size() != t.size) return abi_error("wrong element count for " + t.name());
        return encode_tuple([&](std::size_t) -> const Type& { return t.children[0]; },
                            list->size(), *list, out);
    case Kind::kTuple:
        if (!list || list->size() != t.children.size()) return abi_error("wrong component count for " + t.name());
        return encode_tuple([&](std::size_t i) -> const Type& { return t.children[i]; },
                            list->size(), *list, out);
    }
    return abi_error("unknown ABI kind");
}

Result<void> encode_tuple(const std::function<const Type&(std::size_t)>& type_at, std::size_t n,
                          const Value::List& values, Bytes& out) {
    std::size_t head_len = 0;
    for (std::size_t i = 0; i < n; ++i) head_len += type_at(i).head_size();
    Bytes tail;
    for (std::size_t i = 0; i < n; ++i) {
        const Type& t = type_at(i);
        if (t.is_dynamic()) {
            put_word(out, U256(head_len + tail.size()));
            if (auto r = encode_value(t, values[i], tail); !r) return r;
        } else if (auto r = encode_value(t, values[i], out); !r) {
            return r;
        }
    }
    append(out, tail);
    return {};
}

// ---- decoding ----

Result<U256> read_word(ByteView region, std::size_t at) {
    if (at > region.size() || region.size() - at < kWord) return abi_error("data too short");
    return *U256::from_be(region.subspan(at, kWord));
}

Result<std::size_t> read_size(ByteView region, std::size_t at, const char* what) {
    auto w = read_word(region, at);
    if (!w) return fail(w.error());
    if (!w->fits_u64() || w->low64() > region.size()) {
        return abi_error(std::string(what) + " points outside the data");
    }
    return static_cast<std::size_t>(w->low64());
}

Result<Value::List> decode_tuple(const std::function<const Type&(std::size_t)>& type_at,
                                 std::size_t n, ByteView region, Budget& budget);

Result<Value> decode_value(const Type& t, ByteView region, std::size_t at, Budget& budget) {
    // Leaves and dynamic values each read a word of their own in a canonical encoding; static
    // composites are only their leaves, so they cost nothing themselves.
    const bool composite = t.kind == Kind::kFixedArray || t.kind == Kind::kTuple;
    if (!composite && !budget.spend()) {
        return abi_error("encoding refers to the same data too many times");
    }
    switch (t.kind) {
    case Kind::kUint:
    case Kind::kInt:
    case Kind::kAddress:
    case Kind::kBool: {
        auto w = read_word(region, at);
        if (!w) return fail(w.error());
        const bool ok = t.kind == Kind::kUint    ? w->bit_length() <= t.bits
                        : t.kind == Kind::kInt   ? fits_signed(*w, t.bits)
                        : t.kind == Kind::kAddress ? w->bit_length() <= 160
                                                   : *w <= U256(1);
        if (!ok) return abi_error("dirty high bits in " + t.name());
        return Value::uint(*w);
    }
    case Kind::kFixedBytes: {
        if (at > region.size() || region.size() - at < kWord) return abi_error("data too short");
        const ByteView word = region.subspan(at, kWord);
        if (std::any_of(word.begin() + static_cast<std::ptrdiff_t>(t.size), word.end(),
                        [](std::uint8_t b) { return b != 0; })) {
            return abi_error("non-zero padding in " + t.name());
        }
        return Value::bytes(word.first(t.size));
    }
    case Kind::kBytes:
    case Kind::kString: {
        auto len = read_size(region, at, "length");
        if (!len) return fail(len.error());
        const std::size_t start = at + kWord;
        const std::size_t padded = (*len + kWord - 1) / kWord * kWord;
        if (region.size() - start < padded) return abi_error(t.name() + " runs past the data");
        const ByteView pad = region.subspan(start + *len, padded - *len);
        if (std::any_of(pad.begin(), pad.end(), [](std::uint8_t b) { return b != 0; })) {
            return abi_error("non-zero padding after " + t.name());
        }
        return Value::bytes(region.subspan(start, *len));
    }
    case Kind::kArray: {
        auto count = read_size(region, at, "array length");
        if (!count) return fail(count.error());
        const ByteView body = region.subspan(at + kWord);
        const std::size_t elem = t.children[0].head_size();
        if (*count > body.size() / std::max<std::size_t>(elem, 1)) {
            return abi_error("array of " + std::to_string(*count) + " elements cannot fit the data");
        }
        auto items = decode_tuple([&](std::size_t) -> const Type& { return t.children[0]; },
                                  *count, body, budget);
        if (!items) return fail(items.error());
        return Value::list(std::move(*items));
    }
    case Kind::kFixedArray:
    case Kind::kTuple: {
        // Static composites sit inline at `at`; dynamic ones were reached through an offset, so
        // their region starts at `at` either way.
        const ByteView body = region.subspan(std::min(at, region.size()));
        const bool fixed = t.kind == Kind::kFixedArray;
        auto items = decode_tuple(
            [&](std::size_t i) -> const Type& { return fixed ? t.children[0] : t.children[i]; },
            fixed ? t.size : t.children.size(), body, budget);
        if (!items) return fail(items.error());
        return Value::list(std::move(*items));
    }
    }
    return abi_error("unknown ABI kind");
}

Result<Value::List> decode_tuple(const std::function<const Type&(std::size_t)>& type_at,
                                 std::size_t n, ByteView region, Budget& budget) {
    Value::List out;
    out.reserve(std::min<std::size_t>(n, region.size() / kWord + 1));
    std::size_t head = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const Type& t = type_at(i);
        Result<Value> v = Value{};
        if (t.is_dynamic()) {
            auto offset = read_size(region, head, "offset");
            if (!offset) return abi_error("parameter " + std::to_string(i) + ": " + offset.error().message);
            v = decode_value(t, region, *offset, budget);
        } else {
            v = decode_value(t, region, head, budget);
        }
        if (!v) return abi_error("parameter " + std::to_string(i) + " (" + t.name() + "): " + v.error().message);
        out.push_back(std::move(*v));
        head += t.head_size();
    }
    return out;
}

}  // namespace

bool Type::is_dynamic() const noexcept {
    switch (kind) {
    case Kind::kBytes:
    case Kind::kString:
    case Kind::kArray: return true;
    case Kind::kFixedArray: return children[0].is_dynamic();
    case Kind::kTuple:
        return std::any_of(children.begin(), children.end(), [](const Type& c) { return c.is_dynamic(); });
    default: return false;
    }
}

std::string Type::name() const {
    switch (kind) {
    case Kind::kUint: return "uint" + std::to_string(bits);
    case Kind::kInt: return "int" + std::to_string(bits);
    case Kind::kAddress: return "address";
    case Kind::kBool: return "bool";
    case Kind::kFixedBytes: return "bytes" + std::to_string(size);
    case Kind::kBytes: return "bytes";
    case Kind::kString: return "string";
    case Kind::kArray: return children[0].name() + "[]";
    case Kind::kFixedArray: return children[0].name() + "[" + std::to_string(size) + "]";
    case Kind::kTuple: {
        std::string out = "(";
        for (std::size_t i = 0; i < children.size(); ++i) out += (i ? "," : "") + children[i].name();
        return out + ")";
    }
    }
    return "?";
}

std::size_t Type::head_size() const noexcept {
    if (is_dynamic()) return kWord;
    if (kind == Kind::kFixedArray) return size * children[0].head_size();
    if (kind == Kind::kTuple) {
        std::size_t sum = 0;
        for (const auto& c : children) sum += c.head_size();
        return sum;
    }
    return kWord;
}

Result<Type> parse_type(std::string_view text) { return parse_type_depth(text, 0); }

Result<Signature> parse_signature(std::string_view text) {
    text = trim(text);
    const std::size_t open = text.find('(');
    if (open == std::string_view::npos || text.back() != ')') {
        return abi_error("signature must look like name(type,...): '" + std::string(text) + "'");
    }
    Signature sig;
    sig.name = std::string(trim(text.substr(0, open)));
    if (sig.name.empty()) return abi_error("signature without a name");
    auto tuple = parse_type(text.substr(open));
    if (!tuple) return fail(tuple.error());
    if (tuple->kind != Kind::kTuple) return abi_error("parameter list must be a tuple");
    sig.canonical = sig.name + tuple->name();  // normalised: no spaces, uint -> uint256
    sig.inputs = std::move(tuple->children);
    sig.selector = function_selector(sig.canonical);
    return sig;
}

Address Value::as_address() const noexcept {
    const U256* n = as_uint();
    return n ? Address::right_aligned(n->to_be32().view()) : Address{};
}

std::string Value::as_string() const {
    const Bytes* b = as_bytes();
    return b ? std::string(b->begin(), b->end()) : std::string{};
}

Result<Bytes> encode(const std::vector<Type>& types, const std::vector<Value>& values) {
    if (types.size() != values.size()) {
        return abi_error("expected " + std::to_string(types.size()) + " values, got " +
                         std::to_string(values.size()));
    }
    Bytes out;
    auto r = encode_tuple([&](std::size_t i) -> const Type& { return types[i]; }, types.size(),
                          values, out);
    if (!r) return fail(r.error());
    return out;
}

Result<Bytes> encode_call(const Signature& sig, const std::vector<Value>& values) {
    auto body = encode(sig.inputs, values);
    if (!body) return body;
    Bytes out{static_cast<std::uint8_t>(sig.selector >> 24), static_cast<std::uint8_t>(sig.selector >> 16),
              static_cast<std::uint8_t>(sig.selector >> 8), static_cast<std::uint8_t>(sig.selector)};
    append(out, *body);
    return out;
}

Result<std::vector<Value>> decode(const std::vector<Type>& types, ByteView data) {
    Budget budget{2 * (data.size() / kWord) + 16};
    return decode_tuple([&](std::size_t i) -> const Type& { return types[i]; }, types.size(), data,
                        budget);
}

Result<std::uint32_t> selector_of(ByteView calldata) {
    if (calldata.size() < 4) return abi_error("calldata shorter than a 4-byte selector");
    return (std::uint32_t{calldata[0]} << 24) | (std::uint32_t{calldata[1]} << 16) |
           (std::uint32_t{calldata[2]} << 8) | std::uint32_t{calldata[3]};
}

Hash topic_of(const Value& value) {
    if (const U256* n = value.as_uint()) return n->to_be32();
    Hash out;
    if (const Bytes* b = value.as_bytes()) {
        std::copy_n(b->begin(), std::min<std::size_t>(b->size(), 32), out.bytes.begin());
    }
    return out;
}

}  // namespace mfd::core::abi
