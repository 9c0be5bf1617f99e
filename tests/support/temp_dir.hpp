#pragma once
/// A fresh directory under the system temp folder, removed with everything in it on destruction.
/// Every suite's temporary stores, logs and data directories come from here.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace mfd::test {

/// Owns a directory created by mkdtemp (unique even across parallel test processes); one owner.
class TempDir {
public:
    /// Creates <temp>/<prefix>-XXXXXX; throws std::runtime_error naming the path when it cannot.
    explicit TempDir(std::string_view prefix = "mfd-test") {
        std::string pattern =
            std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX");
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed for " + pattern);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// The directory.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// A path inside the directory.
    [[nodiscard]] std::filesystem::path operator/(const std::string& name) const {
        return path_ / name;
    }

private:
    std::filesystem::path path_;
};

}  // namespace mfd::test
