#pragma once
/// `Result<T>` is `std::expected<T, Error>`. Clang 14 (the compiler that brings libFuzzer on
/// Debian bookworm) does not provide std::expected, so the fuzz build gets a small stand-in with
/// the subset this project uses: has_value, operator bool, *, ->, value, error, value_or.

#include <version>

#include "core/error.hpp"

#if defined(__cpp_lib_expected) && __cpp_lib_expected >= 202202L
#include <expected>
namespace mfd::core {
template <class T>
using Result = std::expected<T, Error>;
using Unexpected = std::unexpected<Error>;
}  // namespace mfd::core
#else
#include <cstdlib>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
namespace mfd::core {

/// Stand-in for std::unexpected<Error>.
class Unexpected {
public:
    explicit Unexpected(Error e) : error_(std::move(e)) {}
    [[nodiscard]] const Error& error() const& noexcept { return error_; }
    [[nodiscard]] Error&& error() && noexcept { return std::move(error_); }

private:
    Error error_;
};

/// Stand-in for std::expected<T, Error> (fuzz builds with clang 14 only).
template <class T>
class [[nodiscard]] Result {
public:
    Result() requires std::is_default_constructible_v<T> : state_(std::in_place_index<0>) {}
    template <class U = T>
        requires(std::is_constructible_v<T, U &&> &&
                 !std::is_same_v<std::remove_cvref_t<U>, Result> &&
                 !std::is_same_v<std::remove_cvref_t<U>, Unexpected>)
    Result(U&& v) : state_(std::in_place_index<0>, std::forward<U>(v)) {}
    Result(Unexpected u) : state_(std::in_place_index<1>, std::move(u).error()) {}

    [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }
    T& value() & { check(); return std::get<0>(state_); }
    const T& value() const& { check(); return std::get<0>(state_); }
    T&& value() && { check(); return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    [[nodiscard]] const Error& error() const& { return std::get<1>(state_); }
    [[nodiscard]] Error&& error() && { return std::get<1>(std::move(state_)); }
    template <class U>
    T value_or(U&& other) const& { return has_value() ? value() : T(std::forward<U>(other)); }

private:
    void check() const { if (!has_value()) std::abort(); }
    std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Unexpected u) : error_(std::move(u).error()) {}
    [[nodiscard]] bool has_value() const noexcept { return !error_.has_value(); }
    explicit operator bool() const noexcept { return has_value(); }
    void value() const { if (error_) std::abort(); }
    void operator*() const {}
    [[nodiscard]] const Error& error() const& { return *error_; }
    [[nodiscard]] Error&& error() && { return std::move(*error_); }

private:
    std::optional<Error> error_;
};

}  // namespace mfd::core
#endif

namespace mfd::core {

/// The failed Result of any type: `return fail(Errc::kBadHex, "odd length");`.
[[nodiscard]] inline Unexpected fail(Errc code, std::string message) {
    return Unexpected(Error{code, std::move(message)});
}

/// Passes an error up unchanged: `if (!r) return fail(r.error());`.
[[nodiscard]] inline Unexpected fail(Error error) { return Unexpected(std::move(error)); }

}  // namespace mfd::core
