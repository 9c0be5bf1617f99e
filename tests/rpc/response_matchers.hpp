#pragma once
/// Comparing JSON-RPC responses the way jsonrpc.json's rules say: as parsed JSON, batch arrays
/// as multisets (servers may answer a batch in any order).

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mfd::rpc::test {

/// Sorted copy of a batch response (by dump), so two batches compare as multisets.
inline nlohmann::json canonical(const nlohmann::json& j) {
    if (!j.is_array()) return j;
    std::vector<std::string> items;
    for (const auto& e : j) items.push_back(e.dump());
    std::sort(items.begin(), items.end());
    auto out = nlohmann::json::array();
    for (const auto& s : items) out.push_back(nlohmann::json::parse(s));
    return out;
}

/// Checks one response text against the expected one (null: nothing may be sent).
inline void expect_response(const std::optional<std::string>& actual,
                            const nlohmann::json& expected, const std::string& name) {
    if (expected.is_null()) {
        EXPECT_FALSE(actual.has_value()) << name << ": expected no response, got " << *actual;
        return;
    }
    ASSERT_TRUE(actual.has_value()) << name << ": expected a response";
    const auto parsed = nlohmann::json::parse(*actual, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << name << ": response is not JSON: " << *actual;
    EXPECT_EQ(canonical(parsed), canonical(expected)) << name;
}

}  // namespace mfd::rpc::test
