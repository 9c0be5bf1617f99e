#pragma once
/// Test helpers for Result values: GoogleTest prints an Errc by its reason name, and
/// `error_code(r)` gives kOk for a value, so a check never reads error() of a success.

#include <ostream>

#include "core/result.hpp"

namespace mfd::core {

inline void PrintTo(Errc code, std::ostream* os) {
    *os << reason_name(code);
}

/// kOk when `r` holds a value, else its error's code.
template <class T>
Errc error_code(const Result<T>& r) {
    return r ? Errc::kOk : r.error().code;
}

}  // namespace mfd::core
