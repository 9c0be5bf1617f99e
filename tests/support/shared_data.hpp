#pragma once
/// Test helpers that read the public vectors and data under ../shared. A missing file fails the
/// test (it never skips): the vectors are part of what the tests check.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace mfd::test {

/// Absolute path of a file under the shared folder (MFD_SHARED_DIR, set by CMake).
inline std::filesystem::path shared_path(const std::string& relative) {
    return std::filesystem::path(MFD_SHARED_DIR) / relative;
}

/// Parses a JSON file under the shared folder; a missing or malformed file is a fatal failure
/// (check with ASSERT_NO_FATAL_FAILURE or HasFatalFailure in the caller).
inline nlohmann::json load_shared_json(const std::string& relative) {
    const auto path = shared_path(relative);
    std::ifstream in(path);
    if (!in) {
        ADD_FAILURE() << "missing shared test file " << path;
        return nlohmann::json::object();
    }
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        ADD_FAILURE() << "cannot parse " << path << ": " << e.what();
        return nlohmann::json::object();
    }
}

}  // namespace mfd::test
