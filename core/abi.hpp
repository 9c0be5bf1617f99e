#pragma once
/// The Solidity contract ABI: types parsed from their canonical names, function signatures and
/// selectors, and a strict encoder/decoder. The chain dispatches contract calls with it, the
/// workload generator builds calldata with it, and the detector reads calldata (approve,
/// transferFrom, ...) with it. Thread-safe: pure functions and value types.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/bytes.hpp"
#include "core/uint256.hpp"

namespace mfd::core::abi {

enum class Kind : std::uint8_t {
    kUint,        ///< uint8 .. uint256
    kInt,         ///< int8 .. int256 (two's complement)
    kAddress,
    kBool,
    kFixedBytes,  ///< bytes1 .. bytes32
    kBytes,       ///< dynamic bytes
    kString,
    kArray,       ///< T[]
    kFixedArray,  ///< T[k]
    kTuple,       ///< (T1,T2,...)
};

/// An ABI type. `bits` for (u)intN, `size` for bytesN and T[k], `children` holds the element
/// type of arrays and the components of tuples.
struct Type {
    Kind kind = Kind::kUint;
    unsigned bits = 256;
    std::size_t size = 0;
    std::vector<Type> children;

    /// True for bytes, string, T[] and any tuple or T[k] containing one.
    [[nodiscard]] bool is_dynamic() const noexcept;
    /// Canonical name as used in signatures: "uint256", "address[]", "(uint256,bytes)[2]".
    [[nodiscard]] std::string name() const;
    /// Bytes the type takes in the head of an encoding (32 for dynamic types).
    [[nodiscard]] std::size_t head_size() const noexcept;
};

/// Parses a canonical type name ("uint" and "int" are accepted as uint256/int256). Fails with
/// kAbiDecode naming the problem for anything else, including widths that are not multiples of
/// 8 in [8, 256], bytesN outside [1, 32], and nesting deeper than 16.
[[nodiscard]] Result<Type> parse_type(std::string_view text);

/// A function or event signature: name, parameter types, canonical text and 4-byte selector.
struct Signature {
    std::string name;
    std::vector<Type> inputs;
    std::string canonical;   ///< "transfer(address,uint256)"
    std::uint32_t selector;  ///< first 4 bytes of keccak256(canonical), big-endian
};

/// Parses "name(type,type,...)" (spaces allowed around names; parameter names are not).
[[nodiscard]] Result<Signature> parse_signature(std::string_view text);

/// A value to encode or a decoded value. Numbers (uint, int as two's complement, bool as 0/1,
/// address right-aligned) are U256; bytes, bytesN and string are Bytes; arrays and tuples are a
/// list of values.
class Value {
public:
    using List = std::vector<Value>;

    Value() : v_(U256{}) {}
    static Value uint(const U256& v) { return Value(v); }
    static Value boolean(bool b) { return Value(U256(b ? 1 : 0)); }
    static Value address(const Address& a) { return Value(*U256::from_be(a.view())); }
    static Value bytes(ByteView b) { return Value(Bytes(b.begin(), b.end())); }
    static Value string(std::string_view s) { return bytes(core::as_bytes(s)); }
    static Value list(List items) { return Value(std::move(items)); }

    [[nodiscard]] const U256* as_uint() const noexcept { return std::get_if<U256>(&v_); }
    [[nodiscard]] const Bytes* as_bytes() const noexcept { return std::get_if<Bytes>(&v_); }
    [[nodiscard]] const List* as_list() const noexcept { return std::get_if<List>(&v_); }
    /// The low 20 bytes of a number (an address value); zero address for non-numbers.
    [[nodiscard]] Address as_address() const noexcept;
    /// The bytes as text (for string values).
    [[nodiscard]] std::string as_string() const;

    friend bool operator==(const Value&, const Value&) = default;

private:
    explicit Value(U256 v) : v_(v) {}
    explicit Value(Bytes b) : v_(std::move(b)) {}
    explicit Value(List l) : v_(std::move(l)) {}
    std::variant<U256, Bytes, List> v_;
};

/// Encodes `values` as the tuple `types` (the body of calldata or return data). Fails with
/// kAbiDecode when a value does not fit its type (wrong shape, a number wider than uintN, an
/// int outside intN, bool not 0/1, bytesN of another length, a T[k] with another count).
[[nodiscard]] Result<Bytes> encode(const std::vector<Type>& types, const std::vector<Value>& values);

/// selector || encode(inputs, values).
[[nodiscard]] Result<Bytes> encode_call(const Signature& sig, const std::vector<Value>& values);

/// Decodes `data` as the tuple `types`, strictly: every offset and length inside the data,
/// numbers within their width (zero high bits; ints sign-extended), bool 0/1, addresses with 12
/// zero high bytes, zero padding after bytes/string and bytesN, arrays no longer than the data
/// can hold. Trailing bytes after the encoded tuple are allowed (Solidity allows them).
/// Fails with kAbiDecode naming the offending parameter.
[[nodiscard]] Result<std::vector<Value>> decode(const std::vector<Type>& types, ByteView data);

/// The 4-byte selector at the start of calldata, or kAbiDecode when data is shorter.
[[nodiscard]] Result<std::uint32_t> selector_of(ByteView calldata);

/// A 32-byte log topic for an indexed static value (address, uint, bool, bytes32).
[[nodiscard]] Hash topic_of(const Value& value);

}  // namespace mfd::core::abi
