#pragma once
/// Helpers for the workload tests: a temporary directory, error codes of Results, and writing
/// small files (plain or gzip) with given text.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <system_error>

#include "core/result.hpp"
#include "tests/support/temp_dir.hpp"

namespace mfd::core {
inline void PrintTo(Errc code, std::ostream* os) {
    *os << reason_name(code);
}
}  // namespace mfd::core

namespace mfd::chain::workload::test {

/// A fresh directory under the system temp folder, removed with its content on destruction.
using mfd::test::TempDir;

/// kOk for a value, else the error's code.
template <class T>
core::Errc error_code(const core::Result<T>& r) {
    return r ? core::Errc::kOk : r.error().code;
}

/// The error message, or "" for a value.
template <class T>
std::string error_message(const core::Result<T>& r) {
    return r ? std::string() : r.error().message;
}

/// Writes `text` to `path` as is.
inline void write_plain(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// Writes `text` to `path` gzip-compressed.
inline void write_gzip(const std::filesystem::path& path, const std::string& text) {
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
}

/// The bytes of a file.
inline std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace mfd::chain::workload::test
